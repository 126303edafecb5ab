/** Moddable's `flash` module shape over fixed regions of the RP2040's flash (pico-flash.js). */
export declare class PicoFlash {
  constructor(partition: string);
  readonly blockSize: number;
  readonly byteLength: number;
  read(offset: number, length: number): ArrayBuffer;
  write(offset: number, length: number, bytes: Uint8Array | ArrayBuffer): void;
  erase(sector: number): void;
}
export default PicoFlash;
