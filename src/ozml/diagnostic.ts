/** A problem found in a menu, positioned at a 1-based line and column. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  line: number;
  col: number;
  message: string;
  /** A suggestion that helps fix the problem, printed after the message. */
  hint?: string;
}

/** Formats a diagnostic as `FILE:LINE:COL: error: MESSAGE (hint: ...)`. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  const hint = d.hint === undefined ? '' : ` (hint: ${d.hint})`;
  return `${file}:${d.line}:${d.col}: ${d.severity}: ${d.message}${hint}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
