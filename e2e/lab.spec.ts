// The Lab end to end in Chromium with WebGPU on SwiftShader: the default spiral learns, BatchNorm toggles mid-run
// without a restart, MNIST MLP and CNN reach their accuracy, a copied link reproduces the experiment in a fresh
// browser context, malformed links fall back to the defaults with a message, compare mode trains A and B at once
// and rewinding B replays its losses exactly, a divergence is explained and fixed in one click.
import { readFileSync } from 'node:fs';
import type { Browser } from '@playwright/test';
import { expect, type Page, test } from './fixtures';
import { screenshot, setTheme, VIEWPORTS } from './screens';

const pct = (text: string | null) => Number.parseFloat((text ?? '').replace('%', '')) || 0;
const num = (text: string | null) => Number((text ?? '').replace(/[^0-9.]/g, '')) || 0;

async function ready(page: Page, run = '') {
  // Compiled when the backend counter names one.
  await expect(page.getByTestId(run ? `backend-${run}` : 'backend')).toHaveText(/CPU|WebGPU/, { timeout: 60_000 });
}

async function stepCount(page: Page, run = ''): Promise<number> {
  return num(await page.getByTestId(run ? `step-count-${run}` : 'step-count').textContent());
}

async function trainUntilStep(page: Page, n: number, run = '') {
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page, run), { timeout: 90_000 }).toBeGreaterThanOrEqual(n);
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('play')).toBeVisible();
}

/** One column of the run's CSV download (0: step, 1: training loss). */
async function csvColumn(page: Page, run: string, column: number): Promise<number[]> {
  const downloading = page.waitForEvent('download');
  await page.getByTestId(`csv-${run}`).click();
  const file = await (await downloading).path();
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => Number(row.split(',')[column]));
}

const csvLosses = (page: Page, run: string) => csvColumn(page, run, 1);

async function valHistory(page: Page, run = 'A'): Promise<{ step: number; accuracy: number }[]> {
  return page
    .getByTestId(`val-history-${run}`)
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) => ({
        step: Number(r.getAttribute('data-step')),
        accuracy: Number(r.getAttribute('data-accuracy')),
      })),
    );
}

async function defaultEncoded(page: Page): Promise<string> {
  await page.goto('/lab');
  await expect(page).toHaveURL(/[?&]s=/);
  return new URL(page.url()).searchParams.get('s') ?? '';
}

test('the default spiral network reaches 95% validation accuracy', async ({ page }) => {
  await page.goto('/lab');
  await expect(page.getByLabel('Spiral', { exact: true })).toBeChecked();
  await ready(page);
  await page.getByTestId('play').click();
  await expect
    .poll(async () => pct(await page.getByTestId('val-accuracy').textContent()), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(95);
  await expect(page.getByRole('figure', { name: 'Decision boundary' })).toBeVisible();
  await page.getByTestId('pause').click();
  // A click on the plot adds a training point of the chosen class; the URL carries it.
  await page.getByLabel('Class 1', { exact: true }).check();
  await page
    .getByRole('application')
    .first()
    .click({ position: { x: 120, y: 120 } });
  await expect(page.getByText('1 point added by you.')).toBeVisible();
  await expect(page).toHaveURL(/_x-?[0-9.]+_x-?[0-9.]+_x0/);
});

test('toggling BatchNorm while training changes the network with no reload and no restart', async ({ page }) => {
  await page.goto('/lab');
  await ready(page);
  await page.evaluate(() => {
    (window as unknown as { labMarker: number }).labMarker = 42;
  });
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 30_000 }).toBeGreaterThan(300);
  const before = await stepCount(page);
  const parameters = await page.getByTestId('parameters').textContent();
  await page.getByRole('switch', { name: 'BatchNorm' }).first().check();
  // The spec in the URL now has a BatchNorm layer (layer type 5 in the compact encoding), the step goes on.
  await expect(page).toHaveURL(/L_t5/);
  // The compiled network now has BatchNorm's 2 x 16 scale and shift parameters.
  await expect(page.getByTestId('parameters')).toHaveText((num(parameters) + 32).toLocaleString('en-US'), {
    timeout: 30_000,
  });
  await expect.poll(() => stepCount(page), { timeout: 30_000 }).toBeGreaterThan(before + 300);
  await page.getByTestId('pause').click();
  expect(await page.evaluate(() => (window as unknown as { labMarker?: number }).labMarker)).toBe(42);
  // One unbroken series: every step from 0 on, once (a restart would begin again at 0).
  const steps = await csvColumn(page, 'A', 0);
  expect(steps.length).toBeGreaterThan(before + 300);
  expect(steps.every((s, i) => s === i)).toBe(true);
});

test('a copied link opens the same experiment, with the same first 50 losses, in a fresh browser', async ({
  page,
  browser,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/lab');
  await ready(page);
  // Configure: SGD with momentum, a fourth layer, a different data seed.
  await page.getByLabel('Optimizer').selectOption('sgd');
  await page.getByRole('button', { name: '+ Dense layer' }).click();
  await page.getByRole('button', { name: 'New sample' }).click();
  await expect(page).toHaveURL(/o_t0/);
  await expect.poll(() => page.locator('.lab-layer').count()).toBe(5);
  await ready(page);
  await trainUntilStep(page, 60);
  const first = (await csvLosses(page, 'A')).slice(0, 50);
  expect(first.every(Number.isFinite)).toBe(true);
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('copy-link')).toHaveText('Link copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('/lab?');
  const backend = await page.getByTestId('backend').textContent();

  const fresh = await freshPage(browser, link);
  await expect(fresh.getByLabel('Optimizer')).toHaveValue('sgd');
  await expect(fresh.locator('.lab-layer')).toHaveCount(5);
  expect(new URL(fresh.url()).searchParams.get('s')).toBe(new URL(link).searchParams.get('s'));
  await ready(fresh);
  await expect(fresh.getByTestId('backend')).toHaveText(backend ?? '');
  await trainUntilStep(fresh, 60);
  const again = (await csvLosses(fresh, 'A')).slice(0, 50);
  expect(again).toEqual(first);
  await fresh.context().close();
});

async function freshPage(browser: Browser, url: string): Promise<Page> {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  p.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await p.goto(url);
  p.on('close', () => expect(errors).toEqual([]));
  return p;
}

test('twenty malformed or tampered links each show a message and open the defaults', async ({ page }) => {
  const good = await defaultEncoded(page);
  const swap = (from: RegExp, to: string) => {
    const s = good.replace(from, to);
    expect(s, `the default encoding should contain ${from}`).not.toBe(good);
    return `?s=${s}`;
  };
  const bad = [
    '?s=garbage',
    '?s=',
    '?s=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    `?s=${'A'.repeat(5000)}`,
    '?s=d_k3~i2',
    '?preset=no-such-preset',
    swap(/u16/, 'u-5'),
    swap(/u16/, 'u100000'),
    swap(/u16/, 'u4000'),
    swap(/d_k\d+/, 'd_k99'),
    swap(/lr[0-9.e-]+/, 'lrNaN'),
    swap(/lr[0-9.e-]+/, 'lr1e999'),
    swap(/_b32/, '_b99999'),
    swap(/_p500/, '_p5'),
    swap(/_v0.2/, '_v2'),
    swap(/_c2/, '_c11'),
    `${swap(/~L/, '~R~L')}`,
    `${swap(/~L/, '~E~L')}`,
    `?s=${good}~Z_q1`,
    `?s=${good.replace(/(~L_t0_u16[^~]*~L_t\d+)/, `$1${'~L_t0_u16~L_t8'.repeat(14)}`)}`,
  ];
  expect(bad).toHaveLength(20);
  for (const search of bad) {
    await page.goto(`/lab${search}`);
    await expect(page.getByTestId('link-problems'), search.slice(0, 80)).toBeVisible();
    await expect(page.getByTestId('link-problems')).toContainText('The default experiment is shown instead');
    await expect(page.getByLabel('Spiral', { exact: true })).toBeChecked();
    await expect(page.getByLabel('Units in layer 1', { exact: true })).toHaveValue('16');
    await expect(page.locator('.lab-layer')).toHaveCount(4);
  }
  await ready(page);
});

test('compare mode trains A and B at once, and rewinding B replays its first 50 losses exactly', async ({ page }) => {
  await page.goto('/lab');
  await ready(page);
  await page.getByLabel('Compare mode').selectOption('batchnorm');
  await ready(page, 'B');
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page, 'A'), { timeout: 60_000 }).toBeGreaterThan(80);
  await expect.poll(() => stepCount(page, 'B'), { timeout: 60_000 }).toBeGreaterThan(80);
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('play')).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Decision boundary, A' })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Decision boundary, B' })).toBeVisible();
  const first = (await csvLosses(page, 'B')).slice(0, 50);
  const aSteps = await stepCount(page, 'A');

  await page.getByTestId('rewind-B').click();
  await expect.poll(() => stepCount(page, 'B')).toBe(0);
  expect(await stepCount(page, 'A')).toBe(aSteps);
  await trainUntilStep(page, 60, 'B');
  const again = (await csvLosses(page, 'B')).slice(0, 50);
  expect(again).toEqual(first);
});

test('a diverging run is explained, pauses, and a one-click fix continues it', async ({ page }) => {
  await page.goto('/lab');
  await ready(page);
  await configureDivergence(page);
  await expect(page.getByRole('slider', { name: 'Learning rate', exact: true })).toHaveAttribute(
    'aria-valuetext',
    '3.2',
  );
  await page.getByTestId('play').click();
  const banner = page.getByTestId('diverged-A');
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText(
    /Loss became NaN at step \d+\. The learning rate 3\.2 is likely too high for SGD without BatchNorm: try 0\.32 or less\./,
  );
  await expect(page.getByTestId('play')).toBeVisible();
  const stopped = await stepCount(page);
  await banner.getByRole('button', { name: /Use learning rate 0.32/ }).click();
  await expect(banner).toBeHidden();
  await expect.poll(() => stepCount(page), { timeout: 30_000 }).toBeGreaterThan(stopped + 100);
  await page.getByTestId('pause').click();
});

async function configureDivergence(page: Page) {
  await page.getByLabel('Gaussian bumps (regression)', { exact: true }).check();
  await page.getByLabel('Optimizer').selectOption('sgd');
  const lr = page.getByRole('slider', { name: 'Learning rate', exact: true });
  await lr.fill('110'); // the log slider's stop for 3.2
  await expect(page).toHaveURL(/o_t0_lr3.2/);
  await ready(page);
}

async function shoot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}

for (const theme of ['light', 'dark'] as const)
  for (const vp of VIEWPORTS)
    test(`screenshots: spiral, compare, divergence and MNIST (${vp.name}, ${theme})`, async ({ page }) => {
      test.setTimeout(180_000);
      await setTheme(page, theme);
      await page.setViewportSize({ width: vp.width, height: vp.height });
      const tag = `${vp.name}-${theme}`;

      await page.goto('/lab');
      await ready(page);
      await trainUntilStep(page, 1500);
      await shoot(page, `lab-spiral-${tag}`);

      await page.goto('/lab?preset=adam-vs-sgd');
      await ready(page, 'A');
      await ready(page, 'B');
      await page.getByTestId('play').click();
      await expect.poll(() => stepCount(page, 'B'), { timeout: 90_000 }).toBeGreaterThan(300);
      await page.getByTestId('pause').click();
      await expect(page.getByTestId('play')).toBeVisible();
      await shoot(page, `lab-compare-${tag}`);

      await page.goto('/lab');
      await ready(page);
      await configureDivergence(page);
      await page.getByTestId('play').click();
      await expect(page.getByTestId('diverged-A')).toBeVisible({ timeout: 30_000 });
      await shoot(page, `lab-diverged-${tag}`);

      await page.goto('/lab');
      await page.getByLabel('MNIST digits', { exact: true }).check();
      await ready(page);
      await trainUntilStep(page, 400); // past the first epoch (375 steps): the confusion matrix and mistakes are filled
      await expect(page.getByRole('heading', { name: 'Mistakes' })).toBeVisible();
      await shoot(page, `lab-mnist-${tag}`);
    });

/** The validation accuracy after each epoch up to `n`, read once the evaluation after epoch `n` exists, or as soon
 * as an earlier one reaches `enough` (the first evaluation at or past each epoch's last step). */
async function accuracyByEpoch(page: Page, n: number, stepsPerEpoch: number, enough = 1): Promise<number[]> {
  const byEpoch = async () => {
    const rows = await valHistory(page);
    const out: number[] = [];
    for (let e = 1; e <= n; e++) {
      const row = rows.find((r) => r.step >= e * stepsPerEpoch);
      if (!row) break;
      out.push(row.accuracy);
    }
    return out;
  };
  await expect
    .poll(
      async () => {
        const accs = await byEpoch();
        return accs.length === n || accs.some((a) => a >= enough);
      },
      { timeout: 420_000, intervals: [2_000] },
    )
    .toBe(true);
  return byEpoch();
}

// 24,000 training digits in batches of 64: 375 steps an epoch.
const MNIST_STEPS_PER_EPOCH = 375;

test('MNIST: the default MLP reaches 95% validation accuracy within 3 epochs', async ({ page }) => {
  test.setTimeout(480_000);
  await page.goto('/lab');
  await page.getByLabel('MNIST digits', { exact: true }).check();
  await expect(page.getByLabel('MLP', { exact: true })).toBeChecked();
  await ready(page);
  await page.getByTestId('play').click();
  const accs = await accuracyByEpoch(page, 3, MNIST_STEPS_PER_EPOCH, 0.95);
  await page.getByTestId('pause').click();
  // Measured headlessly on the CPU: 93.8% after epoch 1, 96.0% after 2, 96.2% after 3.
  expect(Math.max(...accs)).toBeGreaterThanOrEqual(0.95);
  await expect(page.getByRole('figure', { name: /Confusion matrix on the validation digits/ })).toBeVisible();
  await expect(
    page
      .getByRole('figure', { name: /Misclassified validation digits/ })
      .or(page.getByText('None. Every validation digit is right.')),
  ).toBeVisible();
});

test('MNIST: the default CNN reaches 97% validation accuracy within 3 epochs', async ({ page }) => {
  test.setTimeout(720_000);
  await page.goto('/lab');
  await page.getByLabel('MNIST digits', { exact: true }).check();
  await page.getByLabel('CNN', { exact: true }).check();
  await expect(page).toHaveURL(/i_1_28_28/);
  await ready(page);
  await page.getByTestId('play').click();
  const accs = await accuracyByEpoch(page, 3, MNIST_STEPS_PER_EPOCH, 0.97);
  await page.getByTestId('pause').click();
  // Measured headlessly on the CPU: 95.6% after epoch 1, 97.3% after 2, 97.7% after 3.
  expect(Math.max(...accs)).toBeGreaterThanOrEqual(0.97);
  await expect(page.getByRole('figure', { name: /First-layer filters/ })).toBeVisible();
});

/** Per-layer gradient norms of a run at the latest sample, read from the chart's text summary (network order). */
async function gradientNorms(page: Page, run: string): Promise<number[]> {
  const text = (await page.getByRole('figure', { name: `Gradient norm per layer, ${run}` }).textContent()) ?? '';
  return [...text.matchAll(/#\d+ dense \d+ (-?[0-9.]+(?:e[-+]?\d+)?) at step/g)].map((m) => Number(m[1]));
}

test('gradient norms: a 10-layer sigmoid network visibly vanishes, ReLU + BatchNorm does not', async ({ page }) => {
  await page.goto('/lab?preset=vanishing-gradients');
  await ready(page, 'A');
  await ready(page, 'B');
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page, 'A'), { timeout: 60_000 }).toBeGreaterThan(100);
  await expect.poll(() => stepCount(page, 'B'), { timeout: 60_000 }).toBeGreaterThan(100);
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('play')).toBeVisible();
  const sigmoid = await gradientNorms(page, 'A');
  const relu = await gradientNorms(page, 'B');
  // The summary names the first six dense layers (then "and N more series"): the first against the sixth is
  // orders of magnitude apart with sigmoids, the same order with ReLU + BatchNorm.
  expect(sigmoid).toHaveLength(6);
  expect(relu).toHaveLength(6);
  expect(sigmoid[5] / sigmoid[0]).toBeGreaterThan(100);
  expect(relu[5] / relu[0]).toBeLessThan(30);
  expect(relu[5] / relu[0]).toBeGreaterThan(1 / 30);
});

test('a Debug/Fix problem: unchanged it fails with a hint, fixed it passes', async ({ page }) => {
  await page.goto('/lab?problem=fix-nan-lr');
  await expect(page.getByRole('heading', { name: 'The loss explodes' })).toBeVisible();
  await expect(page.locator('.lab-problem-goal')).toContainText('validation accuracy ≥ 95% within 1,000 steps');
  await ready(page);
  await page.getByTestId('grade').click();
  const result = page.getByTestId('grade-result');
  await expect(result).toContainText('Not yet.', { timeout: 60_000 });
  await expect(result).toContainText('A hint may help.');
  await page.getByRole('button', { name: 'Show a hint' }).click();
  await expect(page.getByRole('list', { name: 'Hints' })).toContainText('first few steps');
  // The learner lowers the learning rate (the log slider's stop for 0.2) and grades again.
  const lr = page.getByRole('slider', { name: 'Learning rate', exact: true });
  await lr.fill('86');
  await expect(lr).toHaveAttribute('aria-valuetext', '0.2');
  await expect(page).toHaveURL(/o_t0_lr0.2/);
  await page.getByTestId('grade').click();
  await expect(result).toContainText('Solved.', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Show the reference solution' }).click();
  await expect(page.locator('.lab-problem-solution')).toContainText('Gradient descent only decreases the loss');
  // Changing what the problem keeps fixed is refused before any training.
  await page.getByRole('button', { name: '+ Dense layer' }).click();
  await page.getByTestId('grade').click();
  await expect(result).toContainText('Not graded');
  // The results are kept: the Practice page lists the problem as solved.
  await page.goto('/practice');
  await page.getByRole('tab', { name: 'Problems' }).click();
  await expect(page.locator('.practice-problem[data-problem="fix-nan-lr"]')).toContainText('✓ Solved');
});

for (const theme of ['light', 'dark'] as const)
  for (const vp of VIEWPORTS)
    test(`screenshots: a problem being graded and its result (${vp.name}, ${theme})`, async ({ page }) => {
      await setTheme(page, theme);
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await page.goto('/lab?problem=fix-deep-sigmoid');
      await ready(page);
      await page.getByTestId('grade').click();
      await expect(page.locator('#grade-progress')).toBeVisible();
      await page
        .locator('.lab-problem')
        .screenshot({ path: `test-results/screenshots/lab-problem-grading-${vp.name}-${theme}.png` });
      await expect(page.getByTestId('grade-result')).toContainText('Not yet.', { timeout: 60_000 });
      await page.getByRole('button', { name: 'Show a hint' }).click();
      await shoot(page, `lab-problem-result-${vp.name}-${theme}`);
    });
