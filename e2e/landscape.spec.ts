// The loss landscape in the Lab, end to end in Chromium: train the spiral, compute a 31x31 PCA slice with its
// progress bar, see the trajectory on it and the interpolation line; cancel a computation halfway and start
// another, which completes. Screenshots of the 2-D map and the 3-D surface, wide and narrow, light and dark.
import AxeBuilder from '@axe-core/playwright';
import { clickThenAtOnce } from './clicks';
import { expect, type Page, test } from './fixtures';
import { screenshot, setTheme, VIEWPORTS } from './screens';

const num = (text: string | null) => Number((text ?? '').replace(/[^0-9.]/g, '')) || 0;

async function trainSpiral(page: Page, steps: number) {
  await page.goto('/lab');
  await expect(page.getByTestId('backend')).toHaveText(/CPU|WebGPU/, { timeout: 60_000 });
  await page.getByTestId('play').click();
  await expect
    .poll(async () => num(await page.getByTestId('step-count').textContent()), { timeout: 90_000 })
    .toBeGreaterThanOrEqual(steps);
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('play')).toBeVisible();
}

const panel = (page: Page) => page.getByTestId('landscape-panel');

/** axe on the landscape panel: no violation of serious or critical impact. */
async function serious(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).include('[data-testid="landscape-panel"]').analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(' | ')})`);
}

test('train the spiral, compute a PCA landscape with its trajectory; cancel one and compute another', async ({
  page,
}) => {
  await trainSpiral(page, 300);
  const p = panel(page);
  await p.scrollIntoViewIfNeeded();
  await expect(p.getByRole('slider', { name: /Grid/ })).toHaveValue('31');
  await p.getByRole('button', { name: 'Compute' }).click();
  await expect(p.getByTestId('landscape-progress')).toBeVisible();
  await expect(p.getByTestId('landscape-summary')).toContainText('31×31 PCA slice', { timeout: 60_000 });
  await expect(p.getByTestId('landscape-summary')).toContainText(/snapshots from step 0 to [\d,]+/);
  await expect(p.getByTestId('landscape-trajectory')).toBeVisible();
  await expect(p.getByRole('figure', { name: 'Loss along the straight line between weights' })).toBeVisible();

  // The bar moves while an 81x81 grid is evaluated: a recorder in the page keeps every value it shows (with the SIMD
  // kernels the whole grid takes about a second, too short to be sure of catching it by polling).
  await page.evaluate(() => {
    const w = window as unknown as { barValues: number[] };
    w.barValues = [];
    const panelEl = document.querySelector('[data-testid="landscape-panel"]') as HTMLElement;
    const read = () => {
      const bar = panelEl.querySelector('[data-testid="landscape-progress"]') as HTMLProgressElement | null;
      if (bar) w.barValues.push(bar.value);
    };
    new MutationObserver(read).observe(panelEl, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
  });
  await p.getByRole('slider', { name: /Grid/ }).fill('81');
  await p.getByRole('button', { name: 'Compute' }).click();
  await expect(p.getByTestId('landscape-summary')).toContainText('81×81 PCA slice', { timeout: 60_000 });
  const shown = await page.evaluate(() => (window as unknown as { barValues: number[] }).barValues);
  expect(shown.filter((v) => v > 0 && v < 1).length, `bar values ${shown.join(', ')}`).toBeGreaterThan(0);

  // Cancel one as soon as its Cancel button appears: the bar goes, the 81x81 result stays as it was, and the next
  // computation completes (e2e/clicks.ts: a grid of about a second can be over before a locator's next look).
  await expect(p.getByRole('button', { name: 'Compute' })).toBeEnabled();
  await clickThenAtOnce(page, '[data-testid="landscape-panel"]', 'Compute', 'Cancel');
  await expect(p.getByText('Cancelled.')).toBeVisible();
  await expect(p.getByTestId('landscape-progress')).toHaveCount(0);
  await expect(p.getByTestId('landscape-summary')).toContainText('81×81 PCA slice');
  await p.getByRole('slider', { name: /Grid/ }).fill('21');
  await p.getByRole('radio', { name: 'Random' }).check();
  await p.getByRole('button', { name: 'Compute' }).click();
  await expect(p.getByTestId('landscape-summary')).toContainText('21×21 random-direction slice', { timeout: 60_000 });
  await expect(p.getByText('Cancelled.')).toHaveCount(0);
});

test('compare mode: the line from A to B next to the line from initial to current', async ({ page }) => {
  await page.goto('/lab?preset=adam-vs-sgd');
  await expect(page.getByTestId('backend-B')).toHaveText(/CPU|WebGPU/, { timeout: 60_000 });
  await page.getByTestId('play').click();
  await expect
    .poll(async () => num(await page.getByTestId('step-count-B').textContent()), { timeout: 90_000 })
    .toBeGreaterThanOrEqual(150);
  await page.getByTestId('pause').click();
  const p = panel(page);
  await p.scrollIntoViewIfNeeded();
  await p.getByRole('button', { name: 'Compute' }).click();
  await expect(p.getByTestId('landscape-summary')).toContainText('PCA slice', { timeout: 60_000 });
  const line = p.getByRole('figure', { name: 'Loss along the straight line between weights' });
  await expect(line).toContainText('A → B', { timeout: 60_000 });
  await expect(line).toContainText('initial → current (A)');
  await page.addStyleTag({ content: '.header, .lab-runbar { position: static !important; }' });
  await p.screenshot({ path: 'test-results/screenshots/landscape-compare-wide-light.png' });
});

for (const vp of VIEWPORTS)
  for (const theme of ['light', 'dark'] as const)
    test(`screenshots: the landscape map and surface (${vp.name}, ${theme})`, async ({ page }) => {
      await setTheme(page, theme);
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await trainSpiral(page, 200);
      const p = panel(page);
      await p.scrollIntoViewIfNeeded();
      await p.getByRole('button', { name: 'Compute' }).click();
      await expect(p.getByTestId('landscape-summary')).toContainText('PCA slice', { timeout: 60_000 });
      await expect(p.getByRole('figure', { name: 'Loss along the straight line between weights' })).toBeVisible();
      // Element shots: the sticky site header and run bar would otherwise cover the panel's top.
      await page.addStyleTag({ content: '.header, .lab-runbar { position: static !important; }' });
      await p.screenshot({ path: `test-results/screenshots/landscape-2d-${vp.name}-${theme}.png` });
      if (vp.name === 'wide') expect(await serious(page)).toEqual([]);
      await p.getByRole('radio', { name: '3-D surface' }).check();
      await p.getByRole('application', { name: /Loss landscape/ }).focus();
      await page.keyboard.press('ArrowRight');
      await p.screenshot({ path: `test-results/screenshots/landscape-3d-${vp.name}-${theme}.png` });
      if (vp.name === 'wide') expect(await serious(page)).toEqual([]);
      if (vp.name === 'wide' && theme === 'light') await screenshot(page, 'landscape-lab-page');
    });
