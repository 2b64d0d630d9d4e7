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

/** Screenshot tests come in four variants (wide and narrow, light and dark). `npm test` runs two of them, wide-light
 * and narrow-dark, so each theme and each width is still rendered and checked for errors; the other two (about 4
 * minutes of the 30-minute CI budget) run with E2E_SCREENS=all, as after a UI change when the shots are looked at. */
function skippedVariant(title: string): boolean {
  if (process.env.E2E_SCREENS === 'all' || !/screenshot/i.test(title)) return false;
  const has = (w: string) => new RegExp(`\\b${w}\\b`, 'i').test(title);
  return (has('narrow') && has('light')) || (has('wide') && has('dark'));
}

export const test = base.extend<Fixtures>({
  allowConsoleErrors: [[], { option: true }],
  page: async ({ page, allowConsoleErrors }, use, testInfo) => {
    testInfo.skip(skippedVariant(testInfo.title), 'a screenshot variant run only with E2E_SCREENS=all');
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
