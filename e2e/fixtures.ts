// The one `test` every e2e spec uses: Playwright's, with every page watched for console errors and uncaught page
// errors. Any of them fails the test that caused it (after the test body, so its own assertions report first), with
// each message and where it came from. A spec that expects an error on purpose lists it in `allowConsoleErrors`.
import { test as base, expect } from '@playwright/test';

export type { Page } from '@playwright/test';
export { expect };

interface Fixtures {
  /** Patterns of console errors a test provokes on purpose (e.g. a malformed import it checks is refused). */
  allowConsoleErrors: RegExp[];
}

export const test = base.extend<Fixtures>({
  allowConsoleErrors: [[], { option: true }],
  page: async ({ page, allowConsoleErrors }, use) => {
    const pageErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      if (allowConsoleErrors.some((re) => re.test(text))) return;
      const at = msg.location();
      pageErrors.push(`console error: ${text}${at.url ? ` (${at.url}:${at.lineNumber})` : ''}`);
    });
    page.on('pageerror', (err) => pageErrors.push(`uncaught page error: ${err.stack ?? err.message}`));
    await use(page);
    expect(pageErrors, 'the page logged errors').toEqual([]);
  },
});
