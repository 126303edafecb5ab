import type { Clock, TimerHandle } from '../hal/clock.js';

interface Entry {
  at: number;
  seq: number;
  callback: (() => void) | undefined;
  /** Position in the heap; -1 once fired or cancelled. */
  index: number;
}

/** True when `a` fires before `b`: earlier due time, then earlier scheduling (FIFO at equal times). */
function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * Virtual time: timers fire in order of due time, then of scheduling, only when the simulation
 * advances the clock. Same inputs, same order, on every engine. The timers are a binary heap
 * keyed by (due time, scheduling order), each entry knowing its place: schedule, cancel and step
 * are O(log n), so a run of 100,000 timers costs no more per timer than a run of ten.
 */
export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private heap: Entry[] = [];

  now(): number {
    return this.time;
  }

  schedule(ms: number, callback: () => void): TimerHandle {
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    const entry: Entry = { at: this.time + delay, seq: this.seq++, callback, index: this.heap.length };
    this.heap.push(entry);
    this.up(entry.index);
    return entry;
  }

  cancel(handle: TimerHandle): void {
    const entry = handle as Entry;
    if (entry.callback === undefined) return;
    entry.callback = undefined;
    this.remove(entry.index);
  }

  /** Timers still to fire. */
  get pending(): number {
    return this.heap.length;
  }

  /** Time of the next timer, or undefined when none is pending. */
  nextAt(): number | undefined {
    return this.heap[0]?.at;
  }

  /** Fires the next timer, advancing time to it; false when none is pending or it is after `limit`. */
  step(limit = Infinity): boolean {
    const entry = this.heap[0];
    if (entry === undefined || entry.at > limit) return false;
    this.remove(0);
    this.time = entry.at;
    const callback = entry.callback;
    entry.callback = undefined;
    callback?.();
    return true;
  }

  /** Moves time forward to `t` without firing anything (only past timers already fired). */
  advanceTo(t: number): void {
    if (t > this.time) this.time = t;
  }

  /** Takes the entry at heap position `i` out, keeping the heap in order. */
  private remove(i: number): void {
    const heap = this.heap;
    const entry = heap[i]!;
    const last = heap.pop()!;
    entry.index = -1;
    if (last === entry) return;
    heap[i] = last;
    last.index = i;
    if (i > 0 && before(last, heap[(i - 1) >> 1]!)) this.up(i);
    else this.down(i);
  }

  private up(i: number): void {
    const heap = this.heap;
    const entry = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(entry, p)) break;
      heap[i] = p;
      p.index = i;
      i = parent;
    }
    heap[i] = entry;
    entry.index = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const entry = heap[i]!;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right]!, heap[left]!) ? right : left;
      const c = heap[child]!;
      if (!before(c, entry)) break;
      heap[i] = c;
      c.index = i;
      i = child;
    }
    heap[i] = entry;
    entry.index = i;
  }
}
