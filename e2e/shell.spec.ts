import { expect, test } from './fixtures';
import { screenshot, setTheme, VIEWPORTS } from './screens';

const ROUTES = [
  { path: '/', heading: /Learn deep learning by/ },
  { path: '/map', heading: /map/i },
  { path: '/pathways', heading: /route|pathway/i },
  { path: '/lab', heading: /Train a network/i },
  { path: '/practice', heading: /Make it stick/i },
];

test('the engine worker reports WebGPU from its self-test kernel', async ({ page }) => {
  await page.goto('/');
  const chip = page.getByTestId('backend-chip').first();
  await expect(chip).toHaveAttribute('data-backend', 'webgpu');
  await expect(chip).toContainText(/^WebGPU · \S+/);
});

test('the page is cross-origin isolated, so the CPU kernels split large GEMMs across threads', async ({ page }) => {
  await page.goto('/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const chip = page.getByTestId('backend-chip').first();
  await expect(chip).toHaveAttribute('data-backend', 'webgpu');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const threads = Math.min(4, cores);
  await expect(chip).toHaveAttribute(
    'title',
    threads > 1 ? new RegExp(`CPU kernels: .*split across ${threads} threads\\.$`) : /CPU kernels: .*one thread/,
  );
});

test('navigation reaches every route and each has a heading', async ({ page }) => {
  await page.goto('/');
  for (const route of ROUTES.slice(1)) {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: new RegExp(route.path.slice(1), 'i') })
      .click();
    await expect(page).toHaveURL(new RegExp(`${route.path}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(route.heading);
  }
  await page.goBack();
  // The Lab keeps its spec in the URL (?s=...), so coming back may carry one.
  await expect(page).toHaveURL(/\/lab(\?s=[^&]*)?$/);
});

test('unknown addresses get a friendly page', async ({ page }) => {
  await page.goto('/nowhere');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/off the map/);
});

for (const theme of ['light', 'dark'] as const) {
  for (const vp of VIEWPORTS) {
    test(`screenshots of every route, ${theme}, ${vp.name}`, async ({ page }) => {
      await setTheme(page, theme);
      await page.setViewportSize({ width: vp.width, height: vp.height });
      for (const route of ROUTES) {
        await page.goto(route.path);
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(route.heading);
        await expect(page.getByTestId('backend-chip').first()).toHaveAttribute('data-backend', 'webgpu');
        const name = route.path === '/' ? 'home' : route.path.slice(1);
        await screenshot(page, `shell-${name}-${theme}-${vp.name}`);
      }
    });
  }
}

test('without a saved choice the system colour scheme picks the theme, and the toggle overrides it', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});
