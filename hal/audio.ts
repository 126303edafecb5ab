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

/**
 * What the caller hears. One sound at a time: starting a clip or a tone replaces whatever played.
 * On the chip this is `pins/audioout` with clips as MAUD resources; in the simulator, a recorder
 * that knows each clip's length.
 */
export interface AudioPlayer {
  /**
   * Plays the named clip once. `onEnd` is called when it has played to its end, and never when
   * `stop()` or another `play`/`playTone` cut it short.
   */
  play(clip: string, onEnd: () => void): void;
  /** Plays a call-progress tone with its cadence until `stop()` or another sound replaces it. */
  playTone(tone: ToneSpec): void;
  /** Silence at once. */
  stop(): void;
}
