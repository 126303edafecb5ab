/**
 * Stand-in for Moddable's `file` module on the XS lane: no file system. The lin board opens files
 * only for `say:` voices and a `RINGDOWN_RECORDINGS` image, neither of which the lane's call uses.
 */
export class File {
  constructor(path: string) {
    throw new Error(`${path}: no file system on the XS lane`);
  }
}
