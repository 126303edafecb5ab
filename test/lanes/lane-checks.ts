/**
 * The count a lane keeps of its own checks: each printed as `ok - what` or `not ok - what`, and the
 * `# lane: N passed, N failed` line test/run-all.ts reads.
 */
export class LaneChecks {
  passed = 0;
  failed = 0;

  check(ok: boolean, what: string): void {
    process.stdout.write(`${ok ? 'ok' : 'not ok'} - ${what}\n`);
    if (ok) this.passed++;
    else this.failed++;
  }

  summary(extraFailed = 0): string {
    return `# lane: ${this.passed} passed, ${this.failed + extraFailed} failed\n`;
  }
}
