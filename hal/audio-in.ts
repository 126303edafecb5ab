/**
 * What the caller says: the line's audio as 8 kHz 16-bit samples, in frames with the Clock time
 * of their first sample. On the chip this is Moddable's audio input on the SLIC's VOUT (the same
 * input the software DTMF receiver reads); in the simulator, the caller's WAV files placed in time.
 */
export interface AudioFrame {
  /** Samples in time order, 8000 a second. Valid only during the callback: copy to keep them. */
  samples: Int16Array;
  /** Clock time of `samples[0]`, in ms (fractional when a frame does not start on a ms). */
  atMs: number;
}

export interface AudioInput {
  /** Starts delivering frames, in time order, from now. Starting a started input restarts it. */
  start(onFrame: (frame: AudioFrame) => void): void;
  /**
   * Delivers the samples captured since the last frame, up to now, as a last (possibly short or
   * empty-skipped) frame, then stops: nothing is delivered after `stop()` returns.
   */
  stop(): void;
}
