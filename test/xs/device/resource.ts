/** Stand-in for Moddable's `Resource` (a HostBuffer in flash) over the injected files. */
import { resource } from './host.js';

export default class Resource {
  private readonly bytes: ArrayBuffer;

  constructor(path: string) {
    const bytes = resource(path);
    if (bytes === undefined) throw new Error(`Resource "${path}" not found`);
    this.bytes = bytes;
  }

  get byteLength(): number {
    return this.bytes.byteLength;
  }

  slice(begin: number, end?: number): ArrayBuffer {
    return this.bytes.slice(begin, end);
  }

  static exists(path: string): boolean {
    return resource(path) !== undefined;
  }
}
