// The curriculum UI end to end: map -> concept page -> prerequisite -> pathway step done -> reload keeps it (pathway
// and map) -> export and re-import -> malformed and foreign imports are refused and change nothing. Plus reading
// completion, keyboard and deep links, the not-found page, and screenshots of the views in both themes and sizes.
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from './fixtures';
import { screenshot, setTheme, VIEWPORTS } from './screens';

const mapNode = (page: Page, id: string) => page.locator(`.map-svg g.node[data-concept="${id}"]`);
const step = (page: Page, n: number) => page.getByTestId(`step-${n}`);

async function importFile(page: Page, name: string, content: string) {
  await page.getByTestId('import-progress').setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(content),
  });
}

test('map -> concept -> prerequisite -> pathway step done, kept across reloads, exported and re-imported', async ({
  page,
}) => {
  // From the map to the concept page.
  await page.goto('/map');
  await mapNode(page, 'batch-normalization').click();
  await expect(page).toHaveURL(/\/concepts\/batch-normalization$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Batch Normalization');
  await expect(page.getByTestId('concept-status')).toHaveText('Not read yet');
  await expect(page.locator('#formulas')).toBeVisible();
  await expect(page.locator('.formula .katex').first()).toBeVisible();

  // Follow a prerequisite link, and back.
  await page.getByTestId('prerequisites').locator('a[data-concept="backpropagation"]').click();
  await expect(page).toHaveURL(/\/concepts\/backpropagation$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Backpropagation');
  await expect(page.getByTestId('used-by').locator('a[data-concept="batch-normalization"]')).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Batch Normalization');

  // Open a pathway that contains it and mark its step done.
  await page.getByRole('link', { name: 'Pathways', exact: true }).first().click();
  const card = page.locator('.pathway-card[data-pathway="critical-path"]');
  await card.getByRole('button', { name: 'Start' }).click();
  await expect(page).toHaveURL(/\/pathways\/critical-path$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Critical Path');
  await expect(step(page, 3)).toContainText('Batch Norm');
  await step(page, 3).getByRole('button', { name: 'Mark step done' }).click();
  await expect(step(page, 3)).toHaveAttribute('data-complete', 'true');
  await expect(page.locator('.pathway-overview')).toContainText('1 of 5 done');

  // Reload: kept on the pathway, the concept page and the map.
  await page.reload();
  await expect(step(page, 3)).toHaveAttribute('data-complete', 'true');
  await expect(step(page, 3)).toContainText('Marked done');
  await expect(page.locator('.pathway-overview')).toContainText('1 of 5 done');
  await expect(page.getByText('Your active pathway')).toBeVisible();
  await page.goto('/concepts/batch-normalization');
  await expect(page.getByTestId('concept-status')).toHaveText('✓ Done');
  await expect(page.locator('.pathway-banner')).toContainText('Critical Path · step 3 of 5');
  // Prev/next follow the active pathway now, not the group.
  await expect(page.getByRole('link', { name: /Previous\s*Learning Rate/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /Next →\s*Skip Connections/ })).toBeVisible();
  await page.goto('/map');
  await expect(mapNode(page, 'batch-normalization')).toHaveClass(/status-done/);
  await expect(mapNode(page, 'adam')).not.toHaveClass(/status-done/);

  // The pathways list resumes where the learner left off.
  await page.goto('/pathways');
  await expect(card).toContainText('1 of 5 done');
  await expect(page.getByRole('region', { name: 'Continue where you left off' })).toContainText('Critical Path');

  // Export to one JSON file.
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-progress').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^gradient-atlas-progress-\d{4}-\d\d-\d\d\.json$/);
  const exported = readFileSync(await download.path(), 'utf8');
  const file = JSON.parse(exported);
  expect(file).toMatchObject({ app: 'gradient-atlas', kind: 'progress', schemaVersion: 2 });
  expect(file.data.concepts).toContainEqual({ id: 'batch-normalization', doneAt: expect.any(String) });

  // Undo the step, then re-import the file: the step comes back.
  await page.goto('/pathways/critical-path');
  await step(page, 3).getByRole('button', { name: 'Undo done' }).click();
  await expect(page.locator('.pathway-overview')).toContainText('0 of 5 done');
  await page.goto('/pathways');
  await importFile(page, 'progress.json', exported);
  await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toContainText(
    'Imported 1 concept and 1 pathway from progress.json (merged with your progress)',
  );
  await expect(card).toContainText('1 of 5 done');

  // A malformed file and a foreign one are refused with a reason; nothing changes, even after a reload.
  const bad = { ...file, data: { ...file.data, concepts: [{ id: 'quantum-gravity', readAt: 'yesterday' }] } };
  await page.getByText('Replace', { exact: true }).click();
  await importFile(page, 'bad.json', JSON.stringify(bad));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('bad.json was not imported, and nothing changed');
  await expect(alert).toContainText('concept "quantum-gravity" is not a concept of this atlas');
  await expect(alert).toContainText('and 1 more problem');
  await importFile(page, 'other.json', JSON.stringify({ app: 'some-other-tutor', kind: 'progress', data: {} }));
  await expect(alert).toContainText('belongs to another app ("some-other-tutor")');
  await importFile(page, 'broken.json', '{"app": "gradient-atlas", ');
  await expect(alert).toContainText('not a JSON file');
  await expect(card).toContainText('1 of 5 done');
  await page.reload();
  await expect(card).toContainText('1 of 5 done');
  await page.goto('/map');
  await expect(mapNode(page, 'batch-normalization')).toHaveClass(/status-done/);
});

/** The stored readAt of a concept, straight from IndexedDB. */
async function storedReadAt(page: Page, id: string): Promise<string | null> {
  return page.evaluate(
    (key) =>
      new Promise<string | null>((resolve, reject) => {
        const req = indexedDB.open('gradient-atlas');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const get = db.transaction('concepts').objectStore('concepts').get(key);
          get.onsuccess = () => {
            db.close();
            resolve((get.result as { readAt?: string } | undefined)?.readAt ?? null);
          };
        };
      }),
    id,
  );
}

test('a page counts as read after scrolling to its end with enough time on it', async ({ page }) => {
  await page.clock.install();
  await page.goto('/pathways/critical-path');
  await page.getByRole('button', { name: 'Start this pathway' }).click();
  await step(page, 1).getByRole('button', { name: 'Open the page' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Adam/AdamW');
  await expect(page.getByTestId('concept-status')).toHaveText('Not read yet');
  await page.clock.runFor(30_000); // time alone is not enough
  await expect(page.getByTestId('concept-status')).toHaveText('Not read yet');
  await page.locator('.reading-end').scrollIntoViewIfNeeded();
  await page.clock.runFor(2_000);
  await expect(page.getByTestId('concept-status')).toHaveText('✓ Read');
  // The page loads afresh below: wait until the reading is in IndexedDB (a reload could abort the write in flight).
  await expect.poll(() => storedReadAt(page, 'adam')).toBeTruthy();
  // Reading is one part of the step: Adam's page also has a mini-lab and check questions, so the step says so.
  await page.goto('/pathways/critical-path');
  await expect(step(page, 1)).toHaveAttribute('data-complete', 'false');
  await expect(page.getByTestId('step-1-work')).toHaveText('read ✓ · mini-lab ✗ · check 0/3 ✗');
  await expect(step(page, 1)).toHaveAttribute('aria-current', 'step');
  // A manual mark still completes it.
  await step(page, 1).getByRole('button', { name: 'Mark step done' }).click();
  await expect(step(page, 1)).toHaveAttribute('data-complete', 'true');
  await expect(step(page, 2)).toHaveAttribute('aria-current', 'step');
});

test('keyboard navigation, deep links, prev/next and the not-found page', async ({ page }) => {
  await page.goto('/concepts/batch-normalization#pitfalls');
  await expect(page.locator('#pitfalls')).toBeInViewport();
  await expect(page.locator('.outline-aside [aria-current="location"]')).toHaveText('Pitfalls');

  await page.goto('/concepts/batch-normalization');
  await expect(page.locator('.outline-aside [aria-current="location"]')).toHaveText('Definition');
  await page.keyboard.press('j');
  await expect(page).toHaveURL(/#intuition$/);
  await expect(page.locator('#intuition')).toBeInViewport();
  await expect(page.locator('.outline-aside [aria-current="location"]')).toHaveText('Intuition');
  await page.keyboard.press('k');
  await expect(page).toHaveURL(/#definition$/);

  // Along the group (no active pathway): next is Layer Normalization.
  await expect(page.getByRole('link', { name: /Next →\s*Layer Normalization/ })).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/\/concepts\/layer-normalization$/);
  await page.keyboard.press('ArrowLeft');
  await expect(page).toHaveURL(/\/concepts\/batch-normalization$/);

  // Concept links in the body go through the router.
  await page.locator('.concept-body a.concept-link[data-concept="learning-rate"]').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Learning Rate');

  await page.goto('/concepts/dropuot');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This concept is not in the atlas (yet)');
  await page.locator('.missing-hit').filter({ hasText: 'Dropout' }).first().click();
  await expect(page).toHaveURL(/\/concepts\/dropout$/);
});

test('figures render on the pages that name them', async ({ page }) => {
  const figures: [string, string][] = [
    ['activation-functions', 'activations'],
    ['skip-connections', 'residual-block'],
    ['lstm', 'lstm-cell'],
    ['attention', 'attention-matrix'],
    ['convolution', 'conv-kernel'],
    ['lr-scheduling', 'lr-schedules'],
  ];
  for (const [concept, figure] of figures) {
    await page.goto(`/concepts/${concept}`);
    await expect(page.locator(`.concept-figure[data-figure="${figure}"] svg`).first()).toBeVisible();
  }
  await page.goto('/concepts/activation-functions');
  const fig = page.locator('.concept-figure');
  await fig.getByRole('button', { name: 'Tanh' }).click();
  await expect(fig.getByRole('button', { name: 'Tanh' })).toHaveAttribute('aria-pressed', 'true');
  await expect(fig.locator('.plot-legend')).toContainText('Tanh');
  await expect(fig.locator('.plot-derivative')).toHaveCount(1);
});

for (const theme of ['light', 'dark'] as const) {
  for (const vp of VIEWPORTS) {
    test(`screenshots of the curriculum views, ${theme}, ${vp.name}`, async ({ page }) => {
      await setTheme(page, theme);
      await page.setViewportSize({ width: vp.width, height: vp.height });
      // Some progress, so the views show it.
      await page.goto('/pathways/critical-path');
      await page.getByRole('button', { name: 'Start this pathway' }).click();
      await step(page, 1).getByRole('button', { name: 'Mark step done' }).click();
      await step(page, 2).getByRole('button', { name: 'Mark step done' }).click();
      await expect(page.locator('.pathway-overview')).toContainText('2 of 5 done');
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `curriculum-pathway-${theme}-${vp.name}`);

      await page.goto('/pathways');
      await expect(page.locator('.pathway-card')).toHaveCount(5);
      await screenshot(page, `curriculum-pathways-${theme}-${vp.name}`);

      await page.goto('/concepts/batch-normalization');
      await expect(page.locator('.formula .katex').first()).toBeVisible();
      await screenshot(page, `curriculum-concept-batch-normalization-${theme}-${vp.name}`);

      await page.goto('/concepts/activation-functions');
      await expect(page.locator('.concept-figure svg path.plot-main')).toBeVisible();
      await expect(page.locator('.concept-body .katex').first()).toBeVisible();
      await screenshot(page, `curriculum-concept-activation-functions-${theme}-${vp.name}`);

      await page.goto('/concepts/lstm');
      await expect(page.locator('.concept-figure svg').first()).toBeVisible();
      await page.locator('.concept-figure').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test-results/screenshots/curriculum-figure-lstm-${theme}-${vp.name}.png` });
    });
  }
}

/** "Open in the Lab: “<title>” →" (the hidden title is its own box, so the name may carry a space before the colon). */
const labLinkName = (title: string) =>
  new RegExp(`^Open in the Lab\\s*: “${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}” →$`);

test('a concept page with a lab preset links to it in the Lab, in both themes and sizes', async ({ page }) => {
  // A 2-D preset gets a live mini-lab with the link; an MNIST preset (too slow to train inline) gets a card.
  const bn = JSON.parse(readFileSync('content/presets/batchnorm-high-lr.json', 'utf8')) as { title: string };
  await page.goto('/concepts/batch-normalization');
  const live = page.getByRole('link', { name: labLinkName(bn.title) });
  await expect(live).toHaveAttribute('href', '/lab?preset=batchnorm-high-lr');
  const cnn = JSON.parse(readFileSync('content/presets/mnist-cnn.json', 'utf8')) as { title: string };
  await page.goto('/concepts/convolution');
  const link = page.getByRole('link', { name: labLinkName(cnn.title) });
  await expect(link).toHaveAttribute('href', '/lab?preset=mnist-cnn');
  await expect(page.locator('.lab-preset-card')).toBeVisible();
  // A page without a preset has neither.
  await page.goto('/concepts/transformer');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Transformer');
  await expect(page.locator('.lab-preset-card')).toHaveCount(0);
  await page.goto('/concepts/batch-normalization');
  await live.click();
  await expect(page).toHaveURL(/\/lab\?preset=batchnorm-high-lr(&|$)/);
});

for (const theme of ['light', 'dark'] as const) {
  for (const vp of VIEWPORTS) {
    test(`the lab preset card, ${theme}, ${vp.name}`, async ({ page }) => {
      await setTheme(page, theme);
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await page.goto('/concepts/convolution');
      const card = page.locator('.lab-preset-card');
      await card.scrollIntoViewIfNeeded();
      await expect(card).toBeVisible();
      await page.evaluate(() => document.fonts.ready);
      await card.screenshot({ path: `test-results/screenshots/lab-preset-card-${theme}-${vp.name}.png` });
      await page.screenshot({ path: `test-results/screenshots/lab-preset-page-${theme}-${vp.name}.png` });
    });
  }
}
