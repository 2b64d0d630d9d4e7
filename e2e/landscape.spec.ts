// The loss landscape in the Lab, end to end in Chromium: train the spiral, compute a 31x31 PCA slice with its
// progress bar, see the trajectory on it and the interpolation line; cancel a computation halfway and start
// another, which completes. Screenshots of the 2-D map and the 3-D surface, wide and narrow, light and dark.
import AxeBuilder from '@axe-core/playwright';
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

  // Cancel a big one halfway, then a smaller one completes.
  await p.getByRole('slider', { name: /Grid/ }).fill('81');
  await p.getByRole('button', { name: 'Compute' }).click();
  const bar = p.getByTestId('landscape-progress');
  await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 60_000 }).toBeGreaterThan(0.1);
  await p.getByRole('button', { name: 'Cancel' }).click();
  await expect(p.getByText('Cancelled.')).toBeVisible();
  await expect(bar).toHaveCount(0);
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
