/** A call-progress tone: the sum of one or more sines, switched by a cadence. */
export interface ToneSpec {
  name: string;
  /** Frequencies in Hz, summed. */
  frequencies: readonly number[];
  /** On, off, on, off... durations in ms, repeated; empty means steady. */
  cadenceMs: readonly number[];
  /** Level of each frequency in dBm0. */
  levelDbm0: number;
}
