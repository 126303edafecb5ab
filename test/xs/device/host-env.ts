/** Stand-in for the lin board's native `getenv` on the XS lane: no environment, so the board
 * takes its call script from `mc/config` (injected by the lane). */
export function getenv(_name: string): string | undefined {
  return undefined;
}
