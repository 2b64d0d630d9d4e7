// The optimizer race (/lab/race) and the Lab's learning-rate range test: run the race, move its start point with
// the keyboard and by dragging, see the paths and the summary table follow; run the range test from the Lab and
// apply its suggested rate. Screenshots of both in both themes and sizes.
import AxeBuilder from '@axe-core/playwright';
import { clickThenAtOnce } from './clicks';
import { expect, type Page, test } from './fixtures';
import { screenshot, setTheme, VIEWPORTS } from './screens';

async function summaryRow(page: Page, name: string) {
  return page
    .getByTestId('race-summary')
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name }) });
}

test('the optimizer race runs, animates, and follows the start point', async ({ page }) => {
  await page.goto('/lab');
  await page.getByRole('link', { name: 'Optimizer race' }).click();
  await expect(page).toHaveURL(/\/lab\/race$/);
  await expect(page.getByRole('heading', { name: 'Optimizer race', level: 1 })).toBeVisible();
  const table = page.getByTestId('race-summary');
  await expect(table.getByRole('row')).toHaveCount(8);
  await expect(page.locator('.race-path')).toHaveCount(7);

  // Play from step 0 to the end; the frame counter moves.
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByTestId('race-frame')).toHaveText('Step 0 of 500');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('race-frame')).toHaveText('Step 1 of 500');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('race-frame')).toHaveText('Step 500 of 500', { timeout: 20_000 });

  // Himmelblau: every contestant reaches a minimum within 1e-3 from the default start.
  await page.getByRole('combobox', { name: 'Surface' }).selectOption('himmelblau');
  const sgd = await summaryRow(page, 'SGD');
  await expect(sgd.getByRole('cell').nth(2)).not.toHaveText('not reached');
  const before = await table.locator('caption').textContent();

  // The keyboard moves the start point; the caption and the numbers follow.
  const handle = page.getByRole('button', { name: /Start point at x/ });
  await handle.focus();
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowUp');
  await expect(handle).toHaveAccessibleName(/Start point at x 0\.50, y 0\.50/);
  await expect(table.locator('caption')).not.toHaveText(before ?? '');
  await expect(table.locator('caption')).toContainText('(0.50, 0.50)');
  // The address holds the view: opening it again restores the start point.
  await expect(page).toHaveURL(/surface=himmelblau&x=0\.5&y=0\.5/);
  await page.goto(page.url());
  await expect(handle).toHaveAccessibleName(/Start point at x 0\.50, y 0\.50/);
  await handle.focus();

  // Dragging moves it too.
  const box = await handle.boundingBox();
  if (!box) throw new Error('no start handle');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 60, box.y + box.height / 2 + 40, { steps: 5 });
  await page.mouse.up();
  await expect(handle).not.toHaveAccessibleName(/x 0\.50, y 0\.50/);

  // Turning a contestant off removes its path and its row; a bad value says what is wrong.
  await page.getByRole('checkbox', { name: 'AdaGrad' }).uncheck();
  await expect(page.locator('.race-path')).toHaveCount(6);
  await expect(table.getByRole('row')).toHaveCount(7);
  await page.getByLabel('Adam learning rate').fill('-1');
  await expect(page.getByRole('alert').first()).toContainText('lr');
  await page.getByLabel('Adam learning rate').fill('0.1');
  await expect(page.locator('.race-path')).toHaveCount(6);
});

test('with reduced motion the race shows its final paths at once', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/lab/race');
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByTestId('race-frame')).toHaveText('Step 0 of 500');
  await page.getByRole('button', { name: 'Show the race' }).click();
  await expect(page.getByTestId('race-frame')).toHaveText('Step 500 of 500');
});

test('the range test runs from the Lab and its suggested rate becomes the learning rate', async ({ page }) => {
  await page.goto('/lab');
  await expect(page.getByTestId('backend')).toHaveText(/CPU|WebGPU/, { timeout: 60_000 });
  const stepsBefore = await page.getByTestId('step-count').textContent();
  await page.getByRole('button', { name: 'Find learning rate' }).click();
  const dialog = page.getByRole('dialog', { name: 'Find a learning rate' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Run the test' }).click();
  // Running (Cancel) or, on fast CPU kernels, already done (Run again).
  await expect(
    dialog.getByRole('button', { name: 'Cancel' }).or(dialog.getByRole('button', { name: 'Run again' })),
  ).toBeVisible();
  const summary = dialog.getByTestId('range-summary');
  await expect(summary).toContainText('suggested learning rate', { timeout: 60_000 });
  await expect(dialog.getByRole('button', { name: 'Run again' })).toBeVisible({ timeout: 60_000 });
  await expect(dialog.locator('progress')).toHaveAttribute('value', /\d+/);
  const use = dialog.getByRole('button', { name: /^Use \d/ });
  const label = (await use.textContent()) ?? '';
  const value = label.replace(/^Use /, '');
  await use.click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('slider', { name: 'Learning rate', exact: true })).toHaveAttribute(
    'aria-valuetext',
    value,
  );
  // The Lab's own run was not trained by the test.
  await expect(page.getByTestId('step-count')).toHaveText(stepsBefore ?? '0');

  // A second test can be cancelled halfway.
  await page.getByRole('button', { name: 'Find learning rate' }).click();
  await dialog.getByRole('combobox', { name: 'Length' }).selectOption('300');
  await clickThenAtOnce(page, 'dialog[open]', 'Run the test', 'Cancel');
  await expect(dialog.getByRole('button', { name: 'Run again' })).toBeVisible();
  await expect(summary).toContainText(/Cancelled|Stopped|Swept/);
});

/** Serious axe findings. The contour bands and paths (hundreds of SVG shapes, none of them a control, nothing to
 * name) are left out: they make axe slow on a loaded machine, and the figure's text form is the summary table. */
async function serious(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).exclude('.race-contour g[clip-path]').analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

for (const theme of ['light', 'dark'] as const) {
  test(`axe finds no serious violations on the race (${theme})`, async ({ page }) => {
    await setTheme(page, theme);
    await page.goto('/lab/race');
    await expect(page.locator('.race-path')).toHaveCount(7);
    expect(await serious(page)).toEqual([]);
  });

  test(`axe finds no serious violations in the range-test dialog (${theme})`, async ({ page }) => {
    await setTheme(page, theme);
    await page.goto('/lab');
    await expect(page.getByTestId('backend')).toHaveText(/CPU|WebGPU/, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Find learning rate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Find a learning rate' });
    await expect(dialog).toBeVisible();
    const r = await new AxeBuilder({ page }).include('.lab-range').analyze();
    expect(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });

  for (const vp of VIEWPORTS) {
    test(`screenshots of the optimizer race, ${theme}, ${vp.name}`, async ({ page }) => {
      await setTheme(page, theme);
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await page.goto('/lab/race');
      await expect(page.locator('.race-path')).toHaveCount(7);
      await screenshot(page, `race-rosenbrock-${theme}-${vp.name}`);
      await page.getByRole('combobox', { name: 'Surface' }).selectOption('ravine');
      await expect(page.getByTestId('race-summary').locator('caption')).toContainText('200 steps');
      await screenshot(page, `race-ravine-${theme}-${vp.name}`);
    });

    test(`screenshots of the range test, ${theme}, ${vp.name}`, async ({ page }) => {
      await setTheme(page, theme);
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await page.goto('/lab');
      await expect(page.getByTestId('backend')).toHaveText(/CPU|WebGPU/, { timeout: 60_000 });
      await page.getByRole('button', { name: 'Find learning rate' }).click();
      const dialog = page.getByRole('dialog', { name: 'Find a learning rate' });
      await dialog.getByRole('button', { name: 'Run the test' }).click();
      await expect(dialog.getByRole('button', { name: 'Run again' })).toBeVisible({ timeout: 60_000 });
      await page.screenshot({ path: `test-results/screenshots/range-test-${theme}-${vp.name}.png` });
    });
  }
}
