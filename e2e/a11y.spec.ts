// Accessibility on every route with axe-core: no violation of serious or critical impact (a control without an
// accessible name, a missing label, broken ARIA, unreadable contrast ...). The Lab is checked while it trains too.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from './fixtures';
import { setTheme } from './screens';

const ROUTES = [
  '/',
  '/map',
  '/pathways',
  '/pathways/critical-path',
  '/concepts/batch-normalization',
  '/lab',
  '/practice',
];

async function serious(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
}

for (const theme of ['light', 'dark'] as const)
  for (const route of ROUTES)
    test(`axe finds no serious violations on ${route} (${theme})`, async ({ page }) => {
      await setTheme(page, theme);
      await page.goto(route);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.waitForLoadState('networkidle');
      expect(await serious(page)).toEqual([]);
    });

test('axe finds no serious violations in the Lab while it trains, and on the Practice tabs', async ({ page }) => {
  await page.goto('/lab');
  await expect(page.getByTestId('backend')).toHaveText(/CPU|WebGPU/, { timeout: 60_000 });
  await page.getByTestId('play').click();
  await expect
    .poll(async () => Number((await page.getByTestId('step-count').textContent())?.replace(/\D/g, '')), {
      timeout: 30_000,
    })
    .toBeGreaterThan(500);
  await page.getByTestId('pause').click();
  expect(await serious(page)).toEqual([]);
  await page.goto('/practice');
  for (const tab of ['Statistics', 'Problems', 'Quizzes']) {
    await page.getByRole('tab', { name: tab }).click();
    expect(await serious(page), tab).toEqual([]);
  }
});
