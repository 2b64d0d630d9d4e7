// Clicking a button the moment it appears, from inside the page. For a Cancel that lives only while work runs:
// with the SIMD CPU kernels such work can be over in well under a second, before a locator's next look at a busy
// page, so "click Run, then click Cancel" from the test would race the work itself.
import type { Page } from '@playwright/test';

/** Clicks `start` inside `root` (a CSS selector), then clicks `then` in the same task in which React renders it. */
export async function clickThenAtOnce(page: Page, root: string, start: string, then: string): Promise<void> {
  await page.evaluate(
    ({ root, start, then }) => {
      const box = document.querySelector(root);
      if (!box) throw new Error(`no element matches ${root}`);
      const named = (text: string) =>
        [...box.querySelectorAll('button')].find((b) => b.textContent?.trim() === text) ?? null;
      const first = named(start);
      if (!first) throw new Error(`no button "${start}" in ${root}`);
      const watcher = new MutationObserver(() => {
        const b = named(then);
        if (!b) return;
        watcher.disconnect();
        b.click();
      });
      watcher.observe(box, { subtree: true, childList: true });
      first.click();
    },
    { root, start, then },
  );
}
