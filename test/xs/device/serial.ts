/**
 * Stand-in for Moddable's `embedded:io/serial` on the XS lane: no serial port. The lin board opens
 * one only for the device link (`RINGDOWN_LINK`), which the lane's call does not set.
 */
export default class Serial {
  constructor() {
    throw new Error('no serial port on the XS lane');
  }
}
