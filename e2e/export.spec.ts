// The Lab's Export dialog in Chromium: the PyTorch project zip holds train.py, the initial and final state dicts,
// spec.json, the data and a README (unzipped here with fflate and parsed); the weights download, come back in
// through the import (and are then what the run holds), a file for another model is refused with what does not
// fit; plots download as PNG and SVG, metrics as CSV and JSON. Screenshots of the dialog at both sizes and themes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { unzipSync } from 'fflate';
import { expect, type Page, test } from './fixtures';
import { setTheme, VIEWPORTS } from './screens';

type StateDict = Record<string, { shape: number[]; data: number[] }>;

async function ready(page: Page) {
  await expect(page.getByTestId('backend')).toHaveText(/CPU|WebGPU/, { timeout: 60_000 });
}

const num = (text: string | null) => Number((text ?? '').replace(/[^0-9.]/g, '')) || 0;

async function trainUntilStep(page: Page, n: number) {
  await page.getByTestId('play').click();
  await expect
    .poll(async () => num(await page.getByTestId('step-count').textContent()), { timeout: 90_000 })
    .toBeGreaterThanOrEqual(n);
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('play')).toBeVisible();
}

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const downloading = page.waitForEvent('download');
  await click();
  const d = await downloading;
  return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
}

test('exports the run as a PyTorch project, plots, metrics and weights, and imports weights back', async ({ page }) => {
  await page.goto('/lab');
  await ready(page);
  await trainUntilStep(page, 20);
  const steps = num(await page.getByTestId('step-count').textContent());

  await page.getByTestId('export-open').click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await expect(dialog).toBeVisible();

  // The project.
  const zip = await download(page, () => dialog.getByTestId('export-project').click());
  expect(zip.name).toMatch(/\.zip$/);
  const files = unzipSync(new Uint8Array(zip.bytes));
  const text = (name: string) => new TextDecoder().decode(files[`gradient-atlas-pytorch/${name}`]);
  for (const name of ['train.py', 'README.md', 'spec.json', 'initial_state.json', 'final_state.json', 'data.bin'])
    expect(Object.keys(files), name).toContain(`gradient-atlas-pytorch/${name}`);
  expect(text('train.py')).toContain('def build_model():');
  expect(text('train.py')).toContain('nn.Sequential(');
  expect(text('README.md')).toContain('torchrun --standalone --nproc_per_node=2 train.py');
  const spec = JSON.parse(text('spec.json'));
  expect(spec.model.layers.length).toBeGreaterThan(0);
  const initial = JSON.parse(text('initial_state.json')) as StateDict;
  const final = JSON.parse(text('final_state.json')) as StateDict;
  expect(Object.keys(final)).toEqual(Object.keys(initial));
  expect(final['0.weight'].data).not.toEqual(initial['0.weight'].data);
  const losses = JSON.parse(text('lab_losses.json')) as number[];
  expect(losses).toHaveLength(steps);
  await expect(dialog.getByTestId('export-status')).toContainText('train.py');

  // With PyTorch here (scripts/test.sh installs Debian's python3-torch), the project's own first steps equal the
  // Lab's losses.
  const dir = mkdtempSync(join(tmpdir(), 'ga-export-e2e-'));
  if (spawnSync('/usr/bin/python3', ['-c', 'import torch']).status === 0) {
    const project = join(dir, 'project');
    mkdirSync(project);
    for (const [name, bytes] of Object.entries(files))
      if (!name.endsWith('/')) writeFileSync(join(project, name.split('/').pop() as string), bytes);
    const n = Math.min(steps, 30);
    const log = join(dir, 'losses.json');
    const r = spawnSync(
      '/usr/bin/python3',
      [join(project, 'train.py'), '--steps', String(n), '--log', log, '--device', 'cpu'],
      {
        encoding: 'utf8',
        env: { ...process.env, OMP_NUM_THREADS: '1' },
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(log)).toBe(true);
    const theirs = JSON.parse(readFileSync(log, 'utf8')) as number[];
    theirs.forEach((v, i) => {
      expect(Math.abs(v - losses[i]) / Math.abs(losses[i]), `step ${i}`).toBeLessThan(1e-4);
    });
  }

  // Weights out, scaled, and back in: the run then holds exactly the imported values.
  const out = await download(page, () => dialog.getByTestId('export-weights').click());
  const weights = JSON.parse(out.bytes.toString('utf8')) as StateDict;
  expect(Object.keys(weights)).toEqual(Object.keys(final));
  const scaled: StateDict = {};
  for (const [k, t] of Object.entries(weights))
    scaled[k] = { shape: t.shape, data: t.data.map((v) => (k.endsWith('running_var') ? v : Math.fround(v * 0.5))) };
  const scaledFile = join(dir, 'scaled.json');
  writeFileSync(scaledFile, JSON.stringify(scaled));
  await dialog.getByTestId('import-weights').setInputFiles(scaledFile);
  await expect(dialog.getByTestId('export-status')).toContainText(`Loaded ${Object.keys(scaled).length} tensors`);
  const back = JSON.parse(
    (await download(page, () => dialog.getByTestId('export-weights').click())).bytes.toString('utf8'),
  ) as StateDict;
  expect(back).toEqual(scaled);

  // A file for another model: nothing loads, and the dialog lists what does not fit.
  const { '0.weight': w0, ...rest } = scaled;
  const wrong = { ...rest, '0.weights': w0, [Object.keys(rest)[0]]: { shape: [1], data: [0] } };
  const wrongFile = join(dir, 'wrong.json');
  writeFileSync(wrongFile, JSON.stringify(wrong));
  await dialog.getByTestId('import-weights').setInputFiles(wrongFile);
  const status = dialog.getByTestId('export-status');
  await expect(status).toContainText('does not fit this model; nothing was loaded');
  await expect(status).toContainText('0.weight: missing from the file');
  await expect(status).toContainText('0.weights: the model has no such tensor');
  await expect(status).toContainText(`${Object.keys(rest)[0]}: shape [1] in the file`);
  await status.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/export-dialog-import-refused.png' });

  // Plots and metrics.
  const png = await download(page, () =>
    dialog
      .getByRole('button', { name: /^PNG of / })
      .first()
      .click(),
  );
  expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  const svg = await download(page, () =>
    dialog
      .getByRole('button', { name: /^SVG of / })
      .first()
      .click(),
  );
  expect(svg.bytes.toString('utf8')).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
  const csv = await download(page, () => dialog.getByTestId('export-csv').click());
  expect(csv.bytes.toString('utf8').split('\n')[0]).toBe('step,loss,accuracy,lr,val_loss,val_accuracy');
  const json = await download(page, () => dialog.getByTestId('export-metrics-json').click());
  expect(JSON.parse(json.bytes.toString('utf8')).train.loss.length).toBeGreaterThanOrEqual(steps);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('export-open')).toBeFocused();
});

for (const theme of ['light', 'dark'] as const)
  for (const vp of VIEWPORTS)
    test(`export dialog screenshot ${vp.name} ${theme}`, async ({ page }) => {
      await setTheme(page, theme);
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await page.goto('/lab');
      await ready(page);
      await page.getByTestId('export-open').click();
      const dialog = page.getByRole('dialog', { name: 'Export' });
      await expect(dialog).toBeVisible();
      await page.screenshot({ path: `test-results/screenshots/export-dialog-${vp.name}-${theme}.png` });
      const axe = await new AxeBuilder({ page }).include('[data-testid="export-dialog"]').analyze();
      expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      await dialog.evaluate((d) => {
        d.scrollTop = d.scrollHeight;
      });
      await page.screenshot({ path: `test-results/screenshots/export-dialog-${vp.name}-${theme}-end.png` });
    });
