/** Flash that loses power part-way: shared by the call log's and the recordings' power-cut tests. */
import { MemoryStore } from '../src/calllog/memory-store.js';

export class PowerCut extends Error {}

/**
 * Flash whose power fails after `budget` byte operations (programs and erases). With `torn`, the
 * byte being programmed when power fails keeps only some of its new zero bits; with `backward`,
 * an erase runs from the sector's end (real parts do not say in which order bits erase).
 */
export class FailingStore extends MemoryStore {
  operations = 0;

  constructor(
    sectorSize: number,
    contents: number | Uint8Array,
    private readonly budget = Infinity,
    private readonly torn = false,
    private readonly backward = false,
  ) {
    super(sectorSize, contents);
  }

  override erase(index: number): void {
    if (!this.backward) return super.erase(index);
    for (let i = this.sectorSize - 1; i >= 0; i--) this.clear(index * this.sectorSize + i);
  }

  protected override program(at: number, value: number): void {
    if (this.operations++ >= this.budget) {
      if (this.torn) super.program(at, value | 0x5a);
      throw new PowerCut('power cut');
    }
    super.program(at, value);
  }

  protected override clear(at: number): void {
    if (this.operations++ >= this.budget) throw new PowerCut('power cut');
    super.clear(at);
  }
}
