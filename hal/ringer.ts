/** How a phone is rung: the ring frequency and on/off cadence of the bursts. */
export interface RingCadence {
  frequencyHz: number;
  /** On, off, on, off... in ms, repeated. */
  cadenceMs: readonly number[];
}

/** The SLIC's ring generator (on an Ag1171: RM high and F/R toggled at the ring frequency). */
export interface Ringer {
  /** Starts ringing with the cadence, from the start of its first burst. */
  start(cadence: RingCadence): void;
  /** Stops at once (ring trip, or the bound on ringing reached). */
  stop(): void;
}
