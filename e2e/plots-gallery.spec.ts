// The dev plot gallery (/dev/plots): every Lab chart renders without console errors, in both themes and at both
// viewports (screenshots for review), keeps animating, and a few keyboard paths work.
import { expect, type Page, test } from '@playwright/test';
import { screenshot, setTheme, VIEWPORTS } from './screens';

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

for (const theme of ['light', 'dark'] as const) {
  for (const vp of VIEWPORTS) {
    test(`plot gallery, ${theme}, ${vp.name}`, async ({ page }) => {
      const errors = collectErrors(page);
      await setTheme(page, theme);
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await page.goto('/dev/plots?still');
      await expect(page.getByRole('heading', { level: 1, name: 'Plot gallery' })).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expect(page.getByRole('figure', { name: 'Loss' })).toBeVisible();
      await expect(page.getByRole('figure', { name: 'Confusion matrix, test set' })).toBeVisible();
      await page.evaluate(() => document.fonts.ready);
      await screenshot(page, `plots-gallery-${theme}-${vp.name}`);
      expect(errors).toEqual([]);
    });
  }
}

test('the gallery animates, charts answer the keyboard, and the theme switch repaints', async ({ page }) => {
  const errors = collectErrors(page);
  await setTheme(page, 'light');
  await page.goto('/dev/plots');
  await expect(page.getByText(/\d+ updates\/s/)).toBeVisible();

  // LineChart: focus, move the crosshair, read the values.
  const loss = page.getByRole('slider', { name: /Loss: arrow keys/ });
  await loss.focus();
  await page.keyboard.press('Home');
  await expect(loss).toHaveAttribute('aria-valuetext', /^step 0: A train/);

  // DecisionBoundary: arrows + Enter add a point.
  await page.getByRole('button', { name: 'Pause' }).click();
  const plane = page.getByRole('application', { name: /Decision boundary: arrow keys/ });
  const summary = page.getByText(/^Decision boundary at step [\d,]+: 2 classes, [\d,]+ training points/);
  const before = await summary.textContent();
  await plane.focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(summary).not.toHaveText(before ?? '');
  await expect(summary).toContainText('401 training points');

  // NetworkDiagram: a node is focusable and the arrow keys move between nodes.
  const first = page.getByRole('img', { name: /^x₁/ });
  await first.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByText(/^hidden 1 node \d/).first()).toBeVisible();

  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(errors).toEqual([]);
});
