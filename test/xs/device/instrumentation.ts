/** Stand-in for Moddable's `instrumentation` on the XS lane: an uninstrumented build (no figures). */
export default class Instrumentation {
  static get(_what: number | undefined): number | undefined {
    return undefined;
  }
  static map(_name: string): number | undefined {
    return undefined;
  }
}
