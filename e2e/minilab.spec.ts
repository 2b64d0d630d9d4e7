// The mini-lab on a concept page: nothing of the engine loads until the card comes near the viewport, it never
// trains by itself, play trains (the step counter and the loss summary move), pause stops it, and leaving the page
// and coming back leaves no error and a fresh run. Screenshots of the card after a few seconds of training at both
// viewports, light and dark.
import { expect, type Page, test } from './fixtures';
import { setTheme, VIEWPORTS } from './screens';

/** "Step 1,234 of 1,000" -> 1234. */
const num = (text: string | null) => Number(/Step ([\d,]+)/.exec(text ?? '')?.[1].replace(/,/g, '') ?? 0);

const card = (page: Page) => page.getByTestId('minilab');
const stepOf = async (page: Page) => num(await page.getByTestId('minilab-step').textContent());

/** The loss chart's text summary, e.g. "Loss. Training loss A 0.61 at step 120; …". */
const lossSummary = (page: Page) => card(page).locator('figure[aria-label="Loss"] .pl-sr-only');

test('the mini-lab loads lazily, trains on play, pauses, and cleans up when the learner leaves', async ({ page }) => {
  // The engine worker starts with the app (for the backend chip); the mini-lab's own code and the charts (d3) load
  // only when the card comes near the viewport.
  const lazyChunks: string[] = [];
  page.on('request', (r) => {
    if (/\/assets\/(controller|LineChart|DecisionBoundary|BoundaryPanel|d3-)[^/]*\.js$/.test(r.url()))
      lazyChunks.push(r.url());
  });
  await page.goto('/concepts/batch-normalization');
  await expect(card(page)).toHaveAttribute('data-phase', 'waiting');
  await page.waitForTimeout(800);
  expect(lazyChunks).toEqual([]);

  await card(page).scrollIntoViewIfNeeded();
  await expect(card(page)).toHaveAttribute('data-phase', 'ready');
  await expect(card(page).getByRole('application', { name: /Decision boundary, A/ })).toBeVisible({ timeout: 60_000 });
  await expect(card(page).getByRole('application', { name: /Decision boundary, B/ })).toBeVisible();
  expect(lazyChunks.some((u) => u.includes('/controller'))).toBe(true);
  expect(lazyChunks.some((u) => u.includes('/LineChart'))).toBe(true);

  // It does not train by itself.
  await page.waitForTimeout(1000);
  expect(await stepOf(page)).toBe(0);
  await expect(page.getByTestId('minilab-step')).toHaveText('Step 0 of 1,000');

  // Play: the counter climbs, the loss summary reports a loss, and each run pauses at the suggested 1,000 steps.
  const play = card(page).getByRole('button', { name: 'Play' });
  await play.focus();
  await page.keyboard.press('Enter');
  await expect(card(page).getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThan(50);
  await expect(lossSummary(page)).toHaveText(/Training loss A \d+(\.\d+)? at step \d/);
  await expect(lossSummary(page)).toHaveText(/Training loss B \d+(\.\d+)? at step \d/);
  await expect(page.getByTestId('minilab-figures')).toContainText(/loss \d\.\d{3} · accuracy \d+(\.\d)?%/);
  await expect(
    card(page)
      .getByRole('status')
      .filter({ hasText: /Paused at the suggested 1,000 steps/ }),
  ).toHaveCount(1, { timeout: 90_000 });
  await expect(card(page).getByRole('button', { name: 'Play' })).toBeVisible();
  // Exactly there: both runs stop on the step itself.
  await expect(page.getByTestId('minilab-step')).toHaveText('Step 1,000 of 1,000');
  await expect(page.getByTestId('minilab-figures')).toContainText('step 1,000 · loss');
  await expect(page.getByTestId('minilab-figures')).not.toContainText(/step 1,0(0[1-9]|[1-9]\d)/);

  // Play on past the suggestion, then pause: the counter stops.
  const before = await stepOf(page);
  await card(page).getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThan(before + 20);
  await card(page).getByRole('button', { name: 'Pause' }).click();
  await expect(card(page).getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(
    card(page)
      .getByRole('status')
      .filter({ hasText: /Paused at step/ }),
  ).toHaveCount(1);
  const paused = await stepOf(page);
  await page.waitForTimeout(1200);
  expect(await stepOf(page)).toBe(paused);

  // Rewind: back to step 0.
  await card(page).getByRole('button', { name: 'Rewind to step 0' }).click();
  await expect(page.getByTestId('minilab-step')).toHaveText(/^Step 0 /);

  // Play again, then leave mid-run (an in-app link) and come back (history): a fresh, idle mini-lab and no errors.
  await card(page).getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThan(10);
  const firstId = await card(page)
    .getByTestId(/^boundary-mini/)
    .first()
    .getAttribute('data-testid');
  await page.getByRole('link', { name: /^Open in the Lab: “.*” →$/ }).isVisible();
  await page.locator('[data-testid="related"] a').first().click();
  await expect(page).not.toHaveURL(/batch-normalization/);
  await page.waitForTimeout(800);
  await page.goBack();
  await expect(page).toHaveURL(/batch-normalization/);
  await card(page).scrollIntoViewIfNeeded();
  await expect(card(page)).toHaveAttribute('data-phase', 'ready');
  const secondId = await card(page)
    .getByTestId(/^boundary-mini/)
    .first()
    .getAttribute('data-testid');
  expect(secondId).not.toBe(firstId);
  await page.waitForTimeout(800);
  expect(await stepOf(page)).toBe(0);
  await card(page).getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThan(10);
  // And away once more, mid-run, to a page without a mini-lab.
  await page.getByRole('link', { name: 'Map', exact: true }).first().click();
  await expect(page).toHaveURL(/\/map/);
  await page.waitForTimeout(800);
});

test('a single-run preset: play before the card has loaded trains once it has, up to the suggested steps', async ({
  page,
}) => {
  await page.goto('/concepts/multilayer-perceptron');
  await expect(card(page)).toHaveAttribute('data-phase', 'waiting');
  await card(page).getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThan(20);
  await expect(lossSummary(page)).toHaveText(/Training loss \d+(\.\d+)? at step \d/);
  await expect(
    card(page)
      .getByRole('status')
      .filter({ hasText: /Paused at the suggested 1,500 steps/ }),
  ).toHaveCount(1, { timeout: 90_000 });
  await expect(card(page).getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(page.getByTestId('minilab-step')).toHaveText('Step 1,500 of 1,500');
  // The Lab link opens the full experiment.
  await card(page)
    .getByRole('link', { name: /in the Lab/ })
    .click();
  await expect(page).toHaveURL(/\/lab\?/);
});

for (const vp of VIEWPORTS)
  for (const theme of ['light', 'dark'] as const)
    test(`screenshot: the mini-lab after a few seconds of training, ${vp.name}, ${theme}`, async ({ page }) => {
      await setTheme(page, theme);
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await page.goto('/concepts/batch-normalization');
      await card(page).getByRole('button', { name: 'Play' }).click();
      // Until both runs pause at the suggested steps (the state the preset's notice describes).
      await expect(
        card(page)
          .getByRole('status')
          .filter({ hasText: /Paused at the suggested/ }),
      ).toHaveCount(1, {
        timeout: 90_000,
      });
      await page.waitForTimeout(400);
      await card(page).screenshot({ path: `test-results/screenshots/minilab-${vp.name}-${theme}.png` });
      await card(page).evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: `test-results/screenshots/minilab-page-${vp.name}-${theme}.png` });
    });
