import type { EdgePinClass } from '../io/io.js';

/** A digital input whose edges are stamped at the interrupt (pin-edges.c): an `EdgePinClass`. */
declare const PinEdges: EdgePinClass;
export default PinEdges;
