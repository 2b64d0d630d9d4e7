import { expect, test } from './fixtures';

// The engine worker in the real browser: the protocol end to end (compile with backend 'auto', continuous training,
// pause, hot change, WebGPU stepping, divergence), with typed arrays arriving as typed arrays. The page's own
// bundle names the worker asset; the test opens a second worker from it and speaks the protocol directly.
test('the engine worker trains live through its protocol, on the CPU and on WebGPU', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await expect(page.getByTestId('backend-chip').first()).toHaveAttribute('data-backend', 'webgpu');
  const out = await page.evaluate(async () => {
    const scripts = [...document.querySelectorAll('script[src]')].map((s) => (s as HTMLScriptElement).src);
    let url = '';
    for (const src of scripts) {
      const m = /assets\/worker-[\w-]+\.js/.exec(await (await fetch(src)).text());
      if (m) url = `/${m[0]}`;
    }
    const worker = new Worker(url, { type: 'module' });
    type Msg = { type: string; id?: number; [k: string]: unknown };
    const events: Msg[] = [];
    const waiting = new Map<number, (m: Msg) => void>();
    worker.onmessage = (e: MessageEvent<Msg>) => {
      const m = e.data;
      if ((m.type === 'reply' || m.type === 'error') && m.id !== undefined) waiting.get(m.id)?.(m);
      events.push(m);
    };
    let next = 1;
    const req = (r: Record<string, unknown>) =>
      new Promise<Msg>((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        worker.postMessage({ ...r, id });
      });
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const spec = (hidden: number[], act: string, lr: number, loss = 'mse') => ({
      data: { kind: loss === 'mse' ? 'plane' : 'spiral', points: 300, noise: 0.1, valFraction: 0.2, seed: 1 },
      model: {
        input: [2],
        layers: [
          ...hidden.flatMap((units) => [{ type: 'dense', units }, { type: act }]),
          { type: 'dense', units: loss === 'mse' ? 1 : 2 },
        ],
      },
      loss: { type: loss },
      optimizer: { type: 'sgd', lr },
      training: { batchSize: 10, seed: 1 },
    });
    const auto = await req({ type: 'compile', spec: spec([8, 8], 'tanh', 0.03), backend: 'auto' });
    await req({ type: 'train' });
    await sleep(1500);
    const hot = await req({ type: 'setHyper', hyper: { lr: 0.01 } });
    await sleep(500);
    const paused = await req({ type: 'pause' });
    const metrics = events.filter((e) => e.type === 'metrics');
    const typed = metrics.every((e) => (e.metrics as { loss: unknown }).loss instanceof Float32Array);
    const gpu = await req({ type: 'compile', spec: spec([16, 16], 'tanh', 0.1, 'cross_entropy'), backend: 'webgpu' });
    const stepped = await req({ type: 'step', n: 100 });
    const grid = await req({
      type: 'inspect',
      request: { what: 'grid', xRange: [-1, 1], yRange: [-1, 1], resolution: 50 },
    });
    await req({ type: 'compile', spec: spec([16, 16, 16, 16], 'sigmoid', 10), backend: 'cpu' });
    await req({ type: 'step', n: 500 });
    const diverged = events.find((e) => e.type === 'diverged');
    worker.terminate();
    return {
      auto: auto.result,
      hot: hot.result,
      paused: paused.result,
      metricCount: metrics.length,
      typed,
      gpu: gpu.result,
      stepped: stepped.result,
      gridValues: (grid.result as { values: unknown }).values instanceof Float32Array,
      diverged: diverged?.report,
      errors: events.filter((e) => e.type === 'error'),
    };
  });
  expect(out.auto).toMatchObject({
    backend: 'cpu',
    decision: { reason: expect.stringMatching(/^CPU: this 2-8-8-1 network/) },
  });
  expect((out.paused as { step: number }).step).toBeGreaterThan(500);
  expect((out.hot as { applied: string[] }).applied).toEqual(['lr']);
  expect(out.metricCount).toBeGreaterThan(5);
  expect(out.metricCount).toBeLessThan(2 * 31 + 10);
  expect(out.typed).toBe(true);
  expect(out.gpu).toMatchObject({ backend: 'webgpu' });
  expect(out.stepped).toEqual({ step: 100 });
  expect(out.gridValues).toBe(true);
  expect(out.diverged).toMatchObject({ cause: 'learning_rate', restoredStep: 0 });
  expect(out.errors).toEqual([]);
});
