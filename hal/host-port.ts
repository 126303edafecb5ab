/**
 * The board's serial port to a host (its USB serial), as the device link (src/link) uses it: the
 * same port the board's log lines go to, so a link frame is sent as one more whole line.
 */
export interface HostPort {
  /** Queues one whole line (a link frame, ending in a newline) behind the lines already waiting. */
  send(line: string): void;
  /** Set by the entry: called with the bytes that came from the host. */
  onReceive: ((bytes: Uint8Array) => void) | undefined;
}
