import { readdirSync } from 'node:fs';
import { expect, type Page, test } from './fixtures';
import { screenshot, setTheme, VIEWPORTS } from './screens';

const CONCEPT_PAGES = readdirSync('content/concepts').filter((f) => f.endsWith('.md')).length;
const CRITICAL_PATH = ['adam', 'learning-rate', 'batch-normalization', 'skip-connections', 'resnet'];

const nodes = (page: Page) => page.locator('.map-svg g.node');

async function openMap(page: Page, path = '/map') {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/map/i);
  await expect(nodes(page).first()).toBeVisible();
}

test('the map renders the 27 nodes of the seed map, in its 7 groups', async ({ page }) => {
  await openMap(page);
  await expect(nodes(page)).toHaveCount(27);
  await expect(page.locator('.map-svg .cluster')).toHaveCount(7);
  await expect(page.locator('.map-svg g.node[data-concept="batch-normalization"]')).toContainText(
    'Batch Normalization',
  );
  // 26 edges, each drawn once.
  await expect(page.locator('.map-svg path.flowchart-link')).toHaveCount(26);
});

test('the core map opens legible: node labels of about 11px on screen, most of the map in view', async ({ page }) => {
  await openMap(page);
  await page.waitForTimeout(600); // the first view's animation
  const { label, inView } = await page.evaluate(() => {
    const frame = document.querySelector('.map-frame')?.getBoundingClientRect();
    const nodes = [...document.querySelectorAll('.map-svg g.node')];
    const text = document.querySelector('.map-svg g.node .nodeLabel');
    if (!frame || !text) return { label: 0, inView: 0 };
    const k = Number(
      /scale\(([\d.]+)\)/.exec(document.querySelector<HTMLElement>('.map-content')?.style.transform ?? '')?.[1],
    );
    const inside = nodes.filter((n) => {
      const r = n.getBoundingClientRect();
      return r.left >= frame.left && r.right <= frame.right && r.top >= frame.top && r.bottom <= frame.bottom;
    });
    return { label: Number.parseFloat(getComputedStyle(text).fontSize) * k, inView: inside.length };
  });
  expect(label).toBeGreaterThanOrEqual(11);
  expect(inView).toBeGreaterThanOrEqual(20);
});

test('the expanded view shows every concept', async ({ page }) => {
  await openMap(page);
  await page.getByRole('radio', { name: /Every concept/ }).check();
  await expect(page).toHaveURL(/view=expanded/);
  await expect(nodes(page)).toHaveCount(CONCEPT_PAGES);
  await expect(page.locator('.map-svg g.node[data-concept="lstm"]')).toBeVisible();
});

test('clicking the Batch Normalization node opens its page', async ({ page }) => {
  await openMap(page);
  await page.locator('.map-svg g.node[data-concept="batch-normalization"]').click();
  await expect(page).toHaveURL(/\/concepts\/batch-normalization$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Batch Normalization');
});

test('hovering a node shows its summary', async ({ page }) => {
  await openMap(page);
  await page.locator('.map-svg g.node[data-concept="dropout"]').hover();
  const tip = page.getByTestId('map-tooltip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('Dropout');
  await expect(tip).toContainText('Regularization');
  await screenshot(page, 'map-tooltip-light-wide');
});

test('a route with steps outside the core map offers the expanded view', async ({ page }) => {
  await openMap(page, '/map?route=architecture-focus');
  await expect(page.locator('.map-svg g.node.on-route')).toHaveCount(6);
  const panel = page.getByTestId('map-route');
  await expect(panel).toContainText('only in the expanded view');
  await panel.getByRole('button', { name: 'Show every step' }).click();
  await expect(page).toHaveURL(/view=expanded/);
  await expect(page.locator('.map-svg g.node.on-route')).toHaveCount(8);
  await expect(panel).not.toContainText('only in the expanded view');
});

test('the concept list links every concept', async ({ page }) => {
  await openMap(page);
  await page.getByText(/All \d+ concepts as a list/).click();
  await expect(page.locator('.map-list li a')).toHaveCount(CONCEPT_PAGES);
  await page.locator('.map-list').getByRole('link', { name: 'Dropout', exact: true }).click();
  await expect(page).toHaveURL(/\/concepts\/dropout$/);
});

test('searching "dropout" and pressing Enter lands on its page', async ({ page }) => {
  await openMap(page);
  const search = page.getByRole('combobox', { name: 'Find a concept' });
  await search.fill('dropout');
  await expect(page.getByRole('option').first()).toContainText('Dropout');
  // Typing focuses the best match on the map.
  await expect(page.locator('.map-svg g.node.is-focus')).toHaveAttribute('data-concept', 'dropout');
  await expect(page).toHaveURL(/focus=dropout/);
  await search.press('Enter');
  await expect(page).toHaveURL(/\/concepts\/dropout$/);
});

test('highlighting the Critical Path marks its five nodes and dims the rest', async ({ page }) => {
  await openMap(page);
  await page.getByRole('combobox', { name: 'Highlight a pathway' }).selectOption('critical-path');
  await expect(page).toHaveURL(/route=critical-path/);
  const onRoute = page.locator('.map-svg g.node.on-route');
  await expect(onRoute).toHaveCount(5);
  expect((await onRoute.evaluateAll((els) => els.map((e) => (e as SVGGElement).dataset.concept))).sort()).toEqual(
    [...CRITICAL_PATH].sort(),
  );
  await expect(page.locator('.map-svg g.node.off-route')).toHaveCount(22);
  // Consecutive steps are joined: two map edges (Adam -> LR, Skip -> ResNet) and two route links.
  await expect(page.locator('.map-svg .edge-on-route')).toHaveCount(4);
  await expect(page.getByTestId('map-route')).toContainText('Critical Path');
});

test('the URL carries the view, route and focus', async ({ page }) => {
  await openMap(page, '/map?view=expanded&route=critical-path&focus=dropout');
  await expect(nodes(page)).toHaveCount(CONCEPT_PAGES);
  await expect(page.locator('.map-svg g.node.on-route')).toHaveCount(5);
  await expect(page.locator('.map-svg g.node.is-focus')).toHaveAttribute('data-concept', 'dropout');
  await expect(page.getByRole('combobox', { name: 'Highlight a pathway' })).toHaveValue('critical-path');
});

test('progress shows on the map: a concept marked done is coloured and counted', async ({ page }) => {
  await page.goto('/concepts/dropout');
  await page.getByRole('button', { name: 'Mark as done' }).click();
  await expect(page.getByRole('button', { name: 'Undo done' })).toBeVisible();
  await page.waitForTimeout(300); // the progress store writes to IndexedDB in the background
  await openMap(page);
  await expect(page.locator('.map-svg g.node[data-concept="dropout"]')).toHaveClass(/status-done/);
  await expect(page.locator('.map-svg g.node[data-concept="dropout"]')).toContainText('✓ Dropout');
  await expect(page.getByTestId('map-stats')).toContainText('1 done');
});

test('the map redraws in the colours of the new theme when the theme changes', async ({ page }) => {
  await setTheme(page, 'light');
  await openMap(page);
  const surface = () =>
    page.locator('.map-svg g.node[data-concept="momentum"] .label-container').evaluate((e) => getComputedStyle(e).fill);
  const light = await surface();
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect.poll(surface).not.toBe(light);
  await expect(nodes(page)).toHaveCount(27);
});

test('zoom buttons and fit change the view', async ({ page }) => {
  await openMap(page);
  const content = page.locator('.map-content');
  await page.waitForTimeout(500);
  const scale = async () => Number(/scale\(([\d.]+)\)/.exec((await content.getAttribute('style')) ?? '')?.[1]);
  await page.getByRole('button', { name: 'Fit the map to the screen' }).click();
  await page.waitForTimeout(500);
  const before = await scale();
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(scale).toBeGreaterThan(before);
  await page.getByRole('button', { name: 'Fit the map to the screen' }).click();
  await expect.poll(scale).toBeCloseTo(before, 2);
  // The wheel zooms around the pointer; dragging pans without opening a concept.
  const frame = page.locator('.map-frame');
  await frame.scrollIntoViewIfNeeded();
  const box = await frame.boundingBox();
  if (!box) throw new Error('no map frame');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.wheel(0, -400);
  await expect.poll(scale).toBeGreaterThan(before);
  await page.waitForTimeout(600); // Chromium may deliver one wheel turn as several events
  const translate = async () => /translate\(([-\d.]+)px/.exec((await content.getAttribute('style')) ?? '')?.[1];
  const x0 = Number(await translate());
  await page.mouse.move(cx - 100, cy);
  await page.mouse.down();
  await page.mouse.move(cx + 100, cy + 40, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => Number(await translate())).toBeCloseTo(x0 + 200, 0);
  await expect(page).toHaveURL(/\/map/);
});

for (const theme of ['light', 'dark'] as const) {
  for (const vp of VIEWPORTS) {
    test(`screenshots of the map, ${theme}, ${vp.name}`, async ({ page }) => {
      await setTheme(page, theme);
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await openMap(page);
      await expect(nodes(page)).toHaveCount(27);
      await page.waitForTimeout(600); // the fit animation
      await screenshot(page, `map-default-${theme}-${vp.name}`);

      await openMap(page, '/map?view=expanded');
      await expect(nodes(page)).toHaveCount(CONCEPT_PAGES);
      await page.waitForTimeout(600);
      await screenshot(page, `map-expanded-${theme}-${vp.name}`);

      await openMap(page, '/map?route=critical-path&focus=batch-normalization');
      await expect(page.locator('.map-svg g.node.on-route')).toHaveCount(5);
      await page.waitForTimeout(600);
      await screenshot(page, `map-route-${theme}-${vp.name}`);
    });
  }
}
