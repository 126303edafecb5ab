/** A DTMF key going down or up, with its Clock time in ms. */
export interface DtmfEvent {
  key: string;
  down: boolean;
  atMs: number;
}

/**
 * A DTMF receiver: an MT8870 chip or the software decoder on the line's audio. Menus cannot tell
 * them apart. Keys are `0-9 * # A B C D`.
 */
export interface DtmfReceiver {
  /** Set by the consumer; called on each key down and key up. */
  onKey: ((event: DtmfEvent) => void) | undefined;
  /** Stops reporting keys while false (e.g. during ringing, when the line carries ring residue). */
  setEnabled(enabled: boolean): void;
}
