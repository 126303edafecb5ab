/** Our receiver's cost on XS: filled in when tools/xs/xsnap.ts is available. */
export async function xsCost(): Promise<{ computePerSecond: number; detail: string } | string> {
  return 'not measured (tools/xs/xsnap.ts not available on this branch)';
}
