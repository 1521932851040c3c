// A plain closing line for the logs: "playwright: N passed, N failed, N skipped", with the
// skip reasons spelled out, so a skipped Electron run can never pass for a green one.
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export default class SummaryReporter implements Reporter {
  #counts = { passed: 0, failed: 0, skipped: 0 };
  #reasons = new Map<string, number>();

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status === 'skipped') {
      this.#counts.skipped++;
      const reason = test.annotations.find((a) => a.type === 'skip')?.description ?? 'skipped';
      this.#reasons.set(reason, (this.#reasons.get(reason) ?? 0) + 1);
    } else if (result.status === 'passed') this.#counts.passed++;
    else if (result.retry >= test.retries) this.#counts.failed++;
  }

  onEnd(_result: FullResult): void {
    for (const [reason, n] of this.#reasons) process.stdout.write(`${reason} (${n} test${n === 1 ? '' : 's'})\n`);
    const { passed, failed, skipped } = this.#counts;
    process.stdout.write(`playwright: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
