// The Lab cases of `npm run bench` (the issue's "Speed" section): the UI's cost over the bare engine.
// In the bench's Chromium: the app built with its own Vite config into node_modules/.cache/bench-app (never dist/,
// which the e2e suite serves) and served by `vite preview` on a free port; /lab with the default view (every plot
// on) for (1) the default experiment (2-D spiral, 2-16-16-16-2 relu, Adam, batch 32) and (2) the MNIST MLP (/lab,
// then the "MNIST digits" dataset). Train is clicked; after the first second, the step counter is sampled for
// `rounds` rounds of `seconds` (medians), and every PerformanceObserver 'longtask' entry of the main thread is kept
// (the observer is installed by addInitScript before navigation). Then, in a fresh bench page of the same browser,
// the bare engine (bare.ts) runs the exact spec from the Lab's URL on the backend the Lab's `backend` counter names.
// Targets: Lab / bare >= 0.5, and no long task over 50 ms after the first second of training.

import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { build, preview } from 'vite';
import type { BareResult } from './bare';
import { median } from './harness';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = `${root}node_modules/.cache/bench-app`;

export type LabCaseId = 'spiral' | 'mnist';
export const LAB_CASES: { id: LabCaseId; title: string }[] = [
  { id: 'spiral', title: 'Lab default: 2-D spiral, 2-16-16-16-2 relu, Adam, batch 32' },
  { id: 'mnist', title: 'Lab MNIST MLP (the "MNIST digits" dataset)' },
];

export interface LongTask {
  /** ms since the Train click. */
  start: number;
  duration: number;
  attribution: string;
}

export interface LabResult {
  ok: boolean;
  id: LabCaseId;
  title: string;
  error?: string;
  /** What the Lab's backend counter says, and its tooltip (the auto decision). */
  backend?: 'cpu' | 'webgpu';
  decision?: string;
  /** The Lab's compact spec (URL `s`) and batch size. */
  encoded?: string;
  batch?: number;
  lab?: {
    stepsPerSec: number;
    rounds: number[];
    /** The Lab's own samples/s counter, median of its readings during the timed rounds. */
    shownSamplesPerSec: number | null;
    /** Seconds from the Train click to the first step shown. */
    firstStepSeconds: number;
    /** Seconds from opening /lab to Train being clickable (compile, auto calibration, data). */
    readySeconds: number;
  };
  longtasks?: {
    /** All entries from navigation to the end of the timed rounds. */
    all: LongTask[];
    /** The window the target is about: from 1 s after the Train click to the end of the timed rounds. */
    windowSeconds: number;
  };
  bare?: BareResult;
  busyBefore?: number;
  /** With --lab-profile: the main thread's CPU profile over the window (an unminified build), top self times. */
  profile?: {
    totalMs: number;
    idleMs: number;
    top: { fn: string; selfMs: number }[];
    /** Chromium trace (devtools.timeline) of the renderer's main thread over the window: time per event name
     * (nested events overlap their parents: a breakdown, not a sum). */
    trace?: { name: string; ms: number; count: number }[];
  };
}

const INIT_SCRIPT = `(() => {
  const w = window;
  w.__benchLongtasks = [];
  w.__benchSamples = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const a = (e.attribution || []).map((x) => [x.name, x.containerType, x.containerName, x.containerSrc].filter(Boolean).join(' ')).join('; ');
        w.__benchLongtasks.push({ start: e.startTime, duration: e.duration, attribution: e.name + (a ? ' (' + a + ')' : '') });
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { w.__benchLongtaskError = String(e); }
  // The step counter and the samples/s counter, every 50 ms (a querySelector and two textContent reads).
  setInterval(() => {
    const s = document.querySelector('[data-testid="step-count"]');
    const r = document.querySelector('[data-testid="samples-per-second"]');
    if (s) w.__benchSamples.push([performance.now(), Number((s.textContent || '').replace(/[^0-9.]/g, '')) || 0, Number((r && r.textContent || '').replace(/[^0-9.]/g, '')) || 0]);
  }, 50);
})();`;

interface PageState {
  longtasks: { start: number; duration: number; attribution: string }[];
  samples: [number, number, number][];
  error?: string;
}

const readState = (page: Page): Promise<PageState> =>
  page.evaluate(() => {
    const w = window as unknown as {
      __benchLongtasks: PageState['longtasks'];
      __benchSamples: PageState['samples'];
      __benchLongtaskError?: string;
    };
    return { longtasks: w.__benchLongtasks, samples: w.__benchSamples, error: w.__benchLongtaskError };
  });

/** Steps/s over [a, b] from the sampled counter: between the first change after a and the last change before b
 * (the counter moves a chunk at a time; timing change to change avoids counting a partial chunk). */
function rateOver(samples: [number, number, number][], a: number, b: number): number | null {
  const inside = samples.filter(([t]) => t >= a && t <= b);
  const changes: [number, number][] = [];
  for (let i = 1; i < inside.length; i++)
    if (inside[i][1] !== inside[i - 1][1]) changes.push([inside[i][0], inside[i][1]]);
  if (changes.length < 2) return null;
  const [ta, sa] = changes[0];
  const [tb, sb] = changes[changes.length - 1];
  return tb > ta ? ((sb - sa) * 1000) / (tb - ta) : null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface LabServer {
  url: string;
  close(): Promise<void>;
}

/** Builds the app (its own vite.config.ts) into a cache directory and serves it with vite preview on a free port. */
export async function startLabServer(unminified = false): Promise<LabServer> {
  const configFile = `${root}vite.config.ts`;
  await build({ configFile, root, logLevel: 'warn', build: { outDir, emptyOutDir: true, minify: !unminified } });
  const server = await preview({
    configFile,
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: { port: 4290, strictPort: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview of the app gave no URL');
  return {
    url: url.replace(/\/$/, ''),
    close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())),
  };
}

export async function runLabCase(
  browser: Browser,
  appUrl: string,
  id: LabCaseId,
  o: { seconds: number; rounds: number; profile?: boolean },
  bare: (req: { encoded: string; backend: 'cpu' | 'webgpu'; seconds: number; rounds: number }) => Promise<BareResult>,
): Promise<LabResult> {
  const title = LAB_CASES.find((c) => c.id === id)?.title ?? id;
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.log(`  [lab page error] ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`  [lab console error] ${m.text()}`);
  });
  await page.addInitScript(INIT_SCRIPT);
  let result: LabResult;
  try {
    const opened = Date.now();
    await page.goto(`${appUrl}/lab`);
    const ready = async () => {
      await page
        .getByTestId('backend')
        .filter({ hasText: /CPU|WebGPU/ })
        .waitFor({ timeout: 120_000 });
      await page.waitForFunction(
        () => {
          const b = document.querySelector<HTMLButtonElement>('[data-testid="play"]');
          return b !== null && !b.disabled && /[?&]s=/.test(location.search);
        },
        undefined,
        { timeout: 120_000 },
      );
    };
    await ready();
    if (id === 'mnist') {
      await page.getByLabel('MNIST digits', { exact: true }).check();
      // The URL follows the experiment: wait until it carries an MNIST spec, then for that compile to finish.
      await page.waitForFunction(() => /784/.test(new URLSearchParams(location.search).get('s') ?? ''), undefined, {
        timeout: 30_000,
      });
      await sleep(500); // the edit reaches the run after a short debounce (LabPage APPLY_DELAY_MS)
      await ready();
    }
    const readySeconds = (Date.now() - opened) / 1000;
    const encoded = new URL(page.url()).searchParams.get('s') ?? '';
    const backendText = (await page.getByTestId('backend').textContent()) ?? '';
    const decision = (await page.getByTestId('backend').getAttribute('title')) ?? '';
    const backend: 'cpu' | 'webgpu' = /webgpu/i.test(backendText) ? 'webgpu' : 'cpu';
    const clickAt = await page.evaluate(() => {
      document.querySelector<HTMLButtonElement>('[data-testid="play"]')?.click();
      return performance.now();
    });
    const t0 = clickAt + 1000;
    const end = t0 + o.rounds * o.seconds * 1000;
    const cdp = o.profile ? await ctx.newCDPSession(page) : null;
    if (cdp) {
      await sleep(Math.max(0, t0 - (await page.evaluate(() => performance.now()))));
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
      await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    }
    // Wait out the first second and the rounds, in page time.
    for (;;) {
      const t = await page.evaluate(() => performance.now());
      if (t >= end + 100) break;
      await sleep(Math.min(500, end + 100 - t));
    }
    const st = await readState(page);
    let profile: LabResult['profile'];
    if (cdp) {
      const { profile: p } = await cdp.send('Profiler.stop');
      const trace = await browser.stopTracing();
      profile = { ...summariseProfile(p), trace: summariseTrace(trace.toString('utf8')) };
    }
    await page.getByTestId('pause').click();
    const rounds: number[] = [];
    for (let r = 0; r < o.rounds; r++) {
      const v = rateOver(st.samples, t0 + r * o.seconds * 1000, t0 + (r + 1) * o.seconds * 1000);
      if (v !== null) rounds.push(v);
    }
    const first = st.samples.find(([t, s]) => t >= clickAt && s > 0);
    const shown = st.samples.filter(([t, , sps]) => t >= t0 && t <= end && sps > 0).map(([, , sps]) => sps);
    if (st.error) console.log(`  [lab] no longtask observer: ${st.error}`);
    result = {
      ok: rounds.length > 0,
      id,
      title,
      error: rounds.length > 0 ? undefined : 'the step counter did not move during the timed rounds',
      backend,
      decision,
      encoded,
      lab: {
        stepsPerSec: median(rounds),
        rounds,
        shownSamplesPerSec: shown.length ? median(shown) : null,
        firstStepSeconds: first ? (first[0] - clickAt) / 1000 : Number.NaN,
        readySeconds,
      },
      profile,
      longtasks: {
        all: st.longtasks
          .filter((e) => e.start <= end)
          .map((e) => ({ start: e.start - clickAt, duration: e.duration, attribution: e.attribution })),
        windowSeconds: (end - t0) / 1000,
      },
    };
  } catch (e) {
    result = { ok: false, id, title, error: e instanceof Error ? e.message : String(e) };
  } finally {
    await ctx.close().catch(() => undefined);
  }
  if (result.ok && result.encoded && result.backend) {
    result.bare = await bare({
      encoded: result.encoded,
      backend: result.backend,
      seconds: o.seconds,
      rounds: o.rounds,
    });
    if (result.bare.ok) result.batch = result.bare.batch;
  }
  return result;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time per function (name and file) from a CDP CPU profile. */
function summariseProfile(p: CpuProfile): NonNullable<LabResult['profile']> {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  let idle = 0;
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const dt = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    const n = byId.get(samples[i]);
    if (!n) continue;
    total += dt;
    const f = n.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)') idle += f.functionName === '(idle)' ? dt : 0;
    const file = f.url.split('/').pop() ?? '';
    const key = `${f.functionName || '(anonymous)'} ${file}${file ? `:${f.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([fn, selfMs]) => ({ fn, selfMs }));
  return { totalMs: total, idleMs: idle, top };
}

/** Time per event name on the renderer main thread (CrRendererMain) of a Chromium trace. */
function summariseTrace(json: string): { name: string; ms: number; count: number }[] {
  const parsed = JSON.parse(json) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const by = new Map<string, { ms: number; count: number }>();
  for (const e of events) {
    if (e.ph !== 'X' || !mains.has(`${e.pid}:${e.tid}`) || !(e.dur !== undefined && e.dur > 0)) continue;
    const b = by.get(e.name) ?? { ms: 0, count: 0 };
    b.ms += e.dur / 1000;
    b.count++;
    by.set(e.name, b);
  }
  return [...by.entries()]
    .map(([name, b]) => ({ name, ...b }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 20);
}

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  dur?: number;
  args?: { name?: string };
}

/** Long tasks after the first second of training (start >= 1000 ms after the click). */
export const lateTasks = (r: LabResult): LongTask[] => (r.longtasks?.all ?? []).filter((e) => e.start >= 1000);

export function labLine(r: LabResult): string {
  const head = `browser:lab:${r.backend ?? '?'}:${r.id}`;
  if (!r.ok || !r.lab) return `${head}  -- ${r.error}`;
  const late = lateTasks(r);
  const rt = r.bare?.runtime?.stepsPerSec;
  const se = r.bare?.session?.stepsPerSec;
  const labRate = r.lab.stepsPerSec;
  const ratio = (x: number | undefined) => (x && x > 0 ? (labRate / x).toFixed(2) : 'n/a');
  return `${head}  Lab ${r.lab.stepsPerSec.toFixed(1)} steps/s [${r.lab.rounds.map((x) => x.toFixed(1)).join(', ')}]; bare runtime ${rt?.toFixed(1) ?? '-'} (Lab/bare ${ratio(rt)}), bare session ${se?.toFixed(1) ?? '-'} (${ratio(se)}); long tasks ${r.longtasks?.all.length ?? 0} (max ${Math.max(0, ...(r.longtasks?.all ?? []).map((e) => e.duration)).toFixed(0)} ms), after 1 s: ${late.length} (max ${Math.max(0, ...late.map((e) => e.duration)).toFixed(0)} ms)${r.bare && !r.bare.ok ? `; bare failed: ${r.bare.error}` : ''}`;
}
