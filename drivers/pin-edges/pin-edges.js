/*
 * PinEdges (pin-edges.c): a digital input whose edges are stamped in the interrupt handler, read
 * as a queue. `onReadable` is called, from an XS turn, when edges are waiting; `take()` gives each
 * as ticks * 2 + level (ticks: `Time.ticks`'s counter at the edge), undefined once there are none.
 */
class PinEdges @ "xs_ringdown_edges_destructor" {
	constructor(options) @ "xs_ringdown_edges_constructor";
	read() @ "xs_ringdown_edges_read";
	take() @ "xs_ringdown_edges_take";
	close() @ "xs_ringdown_edges_close";
}

export default PinEdges;
