/** Stand-in for Moddable's `time`: `ticks` is the host's virtual milliseconds. */
import { clock } from './host.js';

export default class Time {
  static get ticks(): number {
    return clock.now();
  }
}
