// Presentation mode: a demo advances through every step with the keyboard (clicker keys too), each step trains live
// (the engine's step counter moves) and shows its caption; a Lab state added with "Add to demo" opens as a demo; a
// tampered share link says so. Screenshots at 1920x1080 and a projector's 1024x768, light and dark, and the list.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from './fixtures';
import { setTheme } from './screens';

const engineStep = async (page: Page) =>
  Number(await page.getByTestId('present-engine-step').getAttribute('data-step'));

/** axe violations of serious or critical impact, as e2e/a11y.spec.ts counts them. */
async function serious(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id}: ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
}

/** A step's decision boundary of run A or B (every step trains under run ids of its own: present-<n>-A, -B). */
const boundary = (page: Page, side: 'A' | 'B') =>
  page.locator(`[data-testid^="boundary-present-"][data-testid$="-${side}"]`);

async function expectTraining(page: Page) {
  await expect.poll(() => engineStep(page), { timeout: 30_000 }).toBeGreaterThan(0);
}

test('a demo advances step by step with the keyboard, each step training live to its length with its caption', async ({
  page,
}) => {
  await page.goto('/present');
  await page.getByTestId('present-open-learning-rate').click();
  await expect(page).toHaveURL(/\/present\/learning-rate/);
  const captions = ['0.57', 'above **0.693**'.replace(/\*/g, ''), 'separates the moons', 'slow and smooth'];
  const keys = ['ArrowRight', 'PageDown', ' '];
  let lastRun: string | null = null;
  for (let i = 0; i < captions.length; i++) {
    await expect(page.getByTestId('present-counter')).toHaveText(`Step ${i + 1} / ${captions.length}`);
    await expect(page.getByTestId('present-caption')).toContainText(captions[i]);
    // A fresh run for every step (a run id of its own), trained live to exactly the step's 600 steps, then stopped.
    await expect.poll(() => boundary(page, 'A').getAttribute('data-testid')).not.toBe(lastRun);
    lastRun = await boundary(page, 'A').getAttribute('data-testid');
    await expect.poll(() => engineStep(page), { timeout: 30_000 }).toBe(600);
    await expect(page.getByTestId('present-engine-step')).toContainText('done');
    if (i < captions.length - 1) await page.keyboard.press(keys[i % keys.length]);
  }
  // The last step is A/B: two decision boundaries on one screen, and its pointer frames a panel.
  await expect(boundary(page, 'A')).toBeVisible();
  await expect(boundary(page, 'B')).toBeVisible();
  await page.keyboard.press('PageUp');
  await expect(page.getByTestId('present-counter')).toHaveText('Step 3 / 4');
  await expect(page.getByTestId('present-point')).toContainText('Every training point');
  await page.keyboard.press('Home');
  await expect(page.getByTestId('present-counter')).toHaveText('Step 1 / 4');
  await page.keyboard.press('End');
  await expect(page.getByTestId('present-counter')).toHaveText('Step 4 / 4');
  // The laser pointer follows the pointer.
  await page.keyboard.press('l');
  await page.mouse.move(400, 300);
  await expect(page.getByTestId('present-laser')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/\/present$/);
});

test('a Lab state added to a demo opens as a step; a tampered link says so', async ({ page }) => {
  await page.goto('/lab?preset=adam-vs-sgd');
  await page.getByTestId('add-to-demo').click();
  await page.getByTestId('add-to-demo-name').fill('Optimizers for week 3');
  await page.getByTestId('add-to-demo-title').fill('SGD against Adam');
  await page.getByTestId('add-to-demo-caption').fill('Watch **both** curves: $\\eta$ is the same story.');
  await page.getByTestId('add-to-demo-add').click();
  await page.getByTestId('add-to-demo-open').click();
  await expect(page).toHaveURL(/\/present\/user-/);
  await expect(page.getByTestId('present-title')).toHaveText('SGD against Adam');
  await expect(page.getByTestId('present-caption')).toContainText('Watch both curves');
  await expect(boundary(page, 'B')).toBeVisible();
  await expectTraining(page);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: 'Optimizers for week 3' })).toBeVisible();
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Caption of step 1').fill('An edited caption.');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/screenshots/present-list-edit-narrow.png', fullPage: true });
  expect(await serious(page)).toEqual([]);
  await page.getByTestId('user-demo-present').click();
  await expect(page.getByTestId('present-caption')).toContainText('An edited caption.');

  await page.goto('/present/shared#zNOT-A-REAL-DEMO');
  await expect(page.getByRole('alert')).toContainText('damaged or incomplete');
});

// Each theme shows both slides, one at each size: the 3-panel A/B step and the gradient A/B step.
const SHOTS = {
  light: [
    ['vanishing-gradients', 5, 1920, 1080],
    ['learning-rate', 4, 1024, 768],
  ],
  dark: [
    ['learning-rate', 4, 1920, 1080],
    ['vanishing-gradients', 5, 1024, 768],
  ],
} as const;

for (const theme of ['light', 'dark'] as const)
  test(`presentation screenshots, ${theme}`, async ({ page }) => {
    await setTheme(page, theme);
    for (const [demo, step, w, h] of SHOTS[theme]) {
      await page.setViewportSize({ width: w, height: h });
      await page.goto(`/present/${demo}?step=${step}`);
      await expect(boundary(page, 'B').getByRole('application')).toBeVisible({ timeout: 30_000 });
      await expect.poll(() => engineStep(page), { timeout: 30_000 }).toBeGreaterThan(60);
      // The controls hide a moment after the pointer last moved: the slide as the room sees it.
      await expect(page.getByTestId('present-screen')).not.toHaveClass(/is-awake/);
      // ...once their fade has ended (mid-fade, axe would measure the contrast of half-transparent buttons).
      await expect(page.locator('.ps-controls')).toHaveCSS('opacity', '0');
      if (w === 1024 && theme === 'dark') expect(await serious(page)).toEqual([]);
      await page.screenshot({ path: `test-results/screenshots/present-${demo}-${w}x${h}-${theme}.png` });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/present');
    await expect(page.getByTestId('present-open-adam-vs-sgd')).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/present-list-narrow-${theme}.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: `test-results/screenshots/present-list-wide-${theme}.png`, fullPage: true });
  });
