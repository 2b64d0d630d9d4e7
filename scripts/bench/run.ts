// `npm run bench`: TF.js 4.22 (webgpu, cpu, wasm) and our engine (cpu, webgpu, auto) on the three benchmark
// networks (nets.ts), one after the other in the same headless Chromium, then our engine in Node; the sequence rows
// (sequences.ts: an LSTM beside TF.js's LSTM layer, and a transformer) in both; medians of timed rounds (harness.ts).
// Prints a Markdown report and writes it into BENCHMARKS.md (report.ts) and the raw results into
// scripts/bench/results.json. A script, never part of `npm test`.
//
// Options: --seconds=3 (per round) --rounds=3 --only=<regex over "where:lib:backend:net"; the sequence rows' nets are
//          lstm and transformer, e.g. --only=':(lstm|transformer)$'>
//          --skip-browser --skip-node --no-write --quiet-wait=5 (seconds to wait for an idle machine per case)
//          --report-only (re-render BENCHMARKS.md from scripts/bench/results.json) --skip-lab
//          --merge (with --only: replace just the cases run now in scripts/bench/results.json, keep the rest and
//          their machine section, and note the merge in the settings line)
//          --lab-profile (CPU profile of the Lab's main thread over the window, unminified build, printed)
//          --lab-seconds=3.5 (per round of the Lab cases, lab.ts; their --only names: browser:lab:auto:spiral|mnist)

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from '@playwright/test';
import { build, preview } from 'vite';
import { webgpuBackend } from '../../engine/backends/webgpu/index';
import { programCost } from '../../engine/live/autoBackend';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { GEMM_SHAPES, GEMM_VARIANTS, type GemmResult, runGemm } from './gemm';
import { GPU_GEMM_VARIANTS, runGemmGpu } from './gemmGpu';
import type { GemmPeak } from './gemmReport';
import { LAB_CASES, type LabResult, labLine, runLabCase, startLabServer } from './lab';
import { NET_IDS, NETS } from './nets';
import { nodeCases, runNodeCase } from './node';
import { benchProgram } from './ours';
import { type Machine, report, spliceBenchmarks } from './report';
import {
  runSequenceCase,
  SEQ_NET_IDS,
  type SeqNetId,
  type SeqResult,
  seqCases,
  seqName,
  seqProgram,
} from './sequences';
import type { BenchCase, CaseResult, PageInfo } from './types';

const root = fileURLToPath(new URL('../../', import.meta.url));
const configFile = fileURLToPath(new URL('./vite.config.ts', import.meta.url));

interface Options {
  seconds: number;
  rounds: number;
  only: RegExp | null;
  browser: boolean;
  node: boolean;
  write: boolean;
  /** Before each case, wait up to this many seconds for the machine to go quiet. */
  quietWait: number;
  /** Re-render BENCHMARKS.md from scripts/bench/results.json without measuring. */
  reportOnly: boolean;
  /** The Lab cases (lab.ts): the app built and driven in the same browser, against the bare engine. */
  lab: boolean;
  labSeconds: number;
  /** Profile the Lab's main thread over the window (an unminified app build; slows the Lab a little). */
  labProfile: boolean;
  /** Keep scripts/bench/results.json's other cases (and their machine section) and replace only those run now. */
  merge: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    seconds: 3,
    rounds: 3,
    only: null,
    browser: true,
    node: true,
    write: true,
    quietWait: 5,
    reportOnly: false,
    lab: true,
    labSeconds: 3.5,
    labProfile: false,
    merge: false,
  };
  for (const a of argv) {
    const [k, v] = a.replace(/^--/, '').split('=');
    if (k === 'seconds') o.seconds = Number(v);
    else if (k === 'rounds') o.rounds = Number(v);
    else if (k === 'only') o.only = new RegExp(v);
    else if (k === 'skip-browser') o.browser = false;
    else if (k === 'skip-node') o.node = false;
    else if (k === 'no-write') o.write = false;
    else if (k === 'quiet-wait') o.quietWait = Number(v);
    else if (k === 'report-only') o.reportOnly = true;
    else if (k === 'skip-lab') o.lab = false;
    else if (k === 'lab-seconds') o.labSeconds = Number(v);
    else if (k === 'lab-profile') o.labProfile = true;
    else if (k === 'merge') o.merge = true;
    else throw new Error(`unknown option ${a}`);
  }
  if (!(o.seconds > 0) || !(o.rounds >= 1)) throw new Error('--seconds and --rounds must be positive');
  return o;
}

const BROWSER_BACKENDS: { lib: 'tfjs' | 'ours'; backend: string }[] = [
  { lib: 'tfjs', backend: 'webgpu' },
  { lib: 'tfjs', backend: 'cpu' },
  { lib: 'tfjs', backend: 'wasm' },
  { lib: 'tfjs', backend: 'wasm-mt' },
  { lib: 'ours', backend: 'cpu' },
  { lib: 'ours', backend: 'cpu-1t' },
  { lib: 'ours', backend: 'cpu-js' },
  { lib: 'ours', backend: 'webgpu' },
  { lib: 'ours', backend: 'auto' },
];

/** Fraction of all cores busy over `ms`, from /proc/stat (anything else running on this machine skews figures). */
async function cpuBusy(ms = 1000): Promise<number> {
  const sample = (): [number, number] => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    return [f.reduce((a, b) => a + b, 0), idle];
  };
  const [t0, i0] = sample();
  await new Promise((r) => setTimeout(r, ms));
  const [t1, i1] = sample();
  return t1 > t0 ? 1 - (i1 - i0) / (t1 - t0) : 0;
}

/** Waits up to maxSeconds for the machine to go quiet (under 25% busy); returns the last busy fraction. */
async function waitQuiet(maxSeconds: number): Promise<number> {
  const end = Date.now() + maxSeconds * 1000;
  let busy = await cpuBusy();
  while (busy > 0.25 && Date.now() < end) busy = await cpuBusy();
  return busy;
}

/** A case that hangs (a lost device, a stuck readback) must not hang the whole bench. */
const CASE_TIMEOUT_MS = 180_000;

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

function line(r: CaseResult): string {
  const head = `${r.where}:${r.case.lib}:${r.case.backend}:${r.case.net}`;
  if (!r.ok) return `${head}  -- ${r.error}`;
  const m = r.measurement;
  const d = r.dispatchesPerStep === null ? '' : `  ${r.dispatchesPerStep.toFixed(1)} dispatches/step`;
  return `${head}  ${m.stepsPerSec.toFixed(2)} steps/s  [${m.rounds.map((x) => x.toFixed(1)).join(', ')}]  n=${m.stepsPerCall}  warm-up ${m.warmupSeconds.toFixed(1)} s${d}`;
}

function seqLine(r: SeqResult): string {
  const head = seqName(r.where, r.case);
  if (!r.ok) return `${head}  -- ${r.error}`;
  const m = r.measurement;
  return `${head}  ${m.stepsPerSec.toFixed(2)} steps/s  [${m.rounds.map((x) => x.toFixed(2)).join(', ')}]  n=${m.stepsPerCall}  warm-up ${m.warmupSeconds.toFixed(1)} s`;
}

/** FLOPs of one training step of each sequence net (our Program's count, the same for TF.js's LSTM). */
const seqFlops = (): Record<SeqNetId, number> =>
  Object.fromEntries(SEQ_NET_IDS.map((n) => [n, programCost(seqProgram(n)).flops])) as Record<SeqNetId, number>;

/** GEMM case names for --only: `<where>:gemm:<variant>:<shape>`. */
const gemmName = (where: string, variant: string, shape: string) => `${where}:gemm:${variant}:${shape}`;
const GEMM_SECONDS = 1;

function gemmLine(g: GemmResult): string {
  const head = gemmName(g.where, g.variant, g.shape);
  return g.ok
    ? `${head}  ${g.gflops?.toFixed(2)} GFLOP/s  [${g.rounds?.map((x) => x.toFixed(2)).join(', ')}]`
    : `${head}  -- ${g.error}`;
}

/** numpy's sgemm on 1024^3 (all cores, then one thread): the machine's peak for the GEMM table. */
function numpyPeak(): GemmPeak | null {
  const py = `
import time, numpy as np
a = np.random.rand(1024, 1024).astype(np.float32); b = np.random.rand(1024, 1024).astype(np.float32)
np.dot(a, b); best = 0.0
for r in range(5):
    t = time.perf_counter(); n = 0
    while time.perf_counter() - t < 1: np.dot(a, b); n += 1
    best = max(best, n * 2 * 1024 ** 3 / (time.perf_counter() - t) / 1e9)
print(best, np.__version__)
`;
  // Which BLAS numpy's sgemm is (Debian's reference BLAS is ~100x slower than OpenBLAS: say which one ran).
  let blas = 'unknown BLAS';
  try {
    blas = execFileSync('readlink', ['-f', '/usr/lib/x86_64-linux-gnu/libblas.so.3'], { encoding: 'utf8' }).trim();
  } catch {
    // not Debian's layout
  }
  const run = (threads: string) =>
    execFileSync('/usr/bin/python3', ['-c', py], {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads },
    })
      .trim()
      .split(' ');
  try {
    const all = run(String(nproc()));
    const one = run('1');
    return { threads: nproc(), allCores: Number(all[0]), oneThread: Number(one[0]), numpy: `${all[1]} (${blas})` };
  } catch {
    return null;
  }
}

async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') console.log(`  [page ${msg.type()}] ${msg.text()}`);
  });
  page.on('pageerror', (e) => console.log(`  [page error] ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => document.title === 'bench ready', undefined, { timeout: 60_000 });
  return page;
}

async function runBrowser(
  o: Options,
  results: CaseResult[],
  labResults: LabResult[],
  gemm: GemmResult[],
  sequences: SeqResult[],
): Promise<{ chromium: string; page: PageInfo }> {
  console.log('building the bench page ...');
  await build({ configFile, logLevel: 'warn' });
  const server = await preview({ configFile, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview gave no URL');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  });
  try {
    // A fresh page per case: no case inherits another's GPU device, wasm module or heap.
    const first = await openPage(browser, url);
    const info = await first.evaluate(() => window.bench.info());
    await first.close();
    console.log(
      `Chromium ${browser.version()}, adapter ${JSON.stringify(info.adapter)}, isolated=${info.crossOriginIsolated}`,
    );
    for (const net of NET_IDS) {
      for (const b of BROWSER_BACKENDS) {
        const c: BenchCase = { lib: b.lib, backend: b.backend, net, seconds: o.seconds, rounds: o.rounds };
        if (o.only && !o.only.test(`browser:${c.lib}:${c.backend}:${c.net}`)) continue;
        const busy = await waitQuiet(o.quietWait);
        let r: CaseResult;
        const page = await openPage(browser, url);
        try {
          r = await withTimeout(
            page.evaluate((bc) => window.bench.run(bc), c),
            CASE_TIMEOUT_MS,
            `${c.lib} ${c.backend} on (${net})`,
          );
        } catch (e) {
          r = { ok: false, case: c, where: 'browser', error: e instanceof Error ? e.message : String(e) };
        } finally {
          await page.close().catch(() => undefined);
        }
        if (r.ok) r.busyBefore = busy;
        results.push(r);
        console.log(line(r));
      }
    }
    for (const c of seqCases('browser', o.seconds, o.rounds)) {
      if (o.only && !o.only.test(seqName('browser', c))) continue;
      const busy = await waitQuiet(o.quietWait);
      const page = await openPage(browser, url);
      const r = await withTimeout(
        page.evaluate((sc) => window.bench.sequence(sc), c),
        CASE_TIMEOUT_MS,
        seqName('browser', c),
      )
        .catch((e): SeqResult => ({ ok: false, case: c, where: 'browser', error: String(e) }))
        .finally(() => page.close().catch(() => undefined));
      if (r.ok) r.busyBefore = busy;
      sequences.push(r);
      console.log(seqLine(r));
    }
    for (const v of [...GEMM_VARIANTS, ...GPU_GEMM_VARIANTS.map((g) => `webgpu ${g}`)])
      for (const sh of GEMM_SHAPES) {
        if (o.only && !o.only.test(gemmName('browser', v, sh.id))) continue;
        await waitQuiet(o.quietWait);
        const page = await openPage(browser, url);
        const g = await withTimeout(
          page.evaluate((q) => window.bench.gemm(q.v, q.id, q.s, q.r), { v, id: sh.id, s: GEMM_SECONDS, r: o.rounds }),
          CASE_TIMEOUT_MS,
          `gemm ${v} ${sh.id}`,
        ).catch((e): GemmResult => ({ where: 'browser', variant: v, shape: sh.id, ok: false, error: String(e) }));
        await page.close().catch(() => undefined);
        gemm.push(g);
        console.log(gemmLine(g));
      }
    const labCases = LAB_CASES.filter((c) => o.lab && (!o.only || o.only.test(`browser:lab:auto:${c.id}`)));
    if (labCases.length > 0) {
      console.log('building the app for the Lab cases ...');
      const app = await startLabServer(o.labProfile);
      try {
        for (const c of labCases) {
          const busy = await waitQuiet(o.quietWait);
          const bare = async (req: Parameters<Window['bench']['bare']>[0]) => {
            const page = await openPage(browser, url);
            try {
              return await withTimeout(
                page.evaluate((q) => window.bench.bare(q), req),
                CASE_TIMEOUT_MS,
                'bare',
              );
            } catch (e) {
              return { ok: false, error: e instanceof Error ? e.message : String(e) };
            } finally {
              await page.close().catch(() => undefined);
            }
          };
          const r = await withTimeout(
            runLabCase(
              browser,
              app.url,
              c.id,
              { seconds: o.labSeconds, rounds: o.rounds, profile: o.labProfile },
              bare,
            ),
            CASE_TIMEOUT_MS * 2,
            `Lab ${c.id}`,
          ).catch((e): LabResult => ({ ok: false, id: c.id, title: c.title, error: String(e) }));
          r.busyBefore = busy;
          labResults.push(r);
          console.log(labLine(r));
          if (r.profile) {
            console.log(
              `  main-thread profile over the window: ${Math.round(r.profile.totalMs)} ms sampled, ${Math.round(r.profile.idleMs)} ms idle; top self times:`,
            );
            for (const t of r.profile.top) console.log(`    ${t.selfMs.toFixed(0).padStart(6)} ms  ${t.fn}`);
            if (r.profile.trace) {
              console.log('  trace of the main thread (time per event name, nested events overlap):');
              for (const t of r.profile.trace)
                console.log(`    ${t.ms.toFixed(0).padStart(6)} ms  ${t.name} (${t.count})`);
            }
          }
          const late = r.longtasks?.all.filter((e) => e.start >= 1000) ?? [];
          if (late.length)
            console.log(
              `  long tasks after 1 s (ms after Train: duration): ${late.map((e) => `${Math.round(e.start)}: ${Math.round(e.duration)}`).join(', ')}`,
            );
        }
      } finally {
        await app.close();
      }
    }
    return { chromium: `Chromium ${browser.version()}`, page: info };
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'engine'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    return `${head}${dirty ? ' (engine/ has uncommitted changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}

function cpuModel(): string {
  const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return m ? m[1].trim() : (os.cpus()[0]?.model ?? 'unknown');
}

function nproc(): number {
  try {
    return Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    return os.availableParallelism();
  }
}

function writeReport(md: string): void {
  const path = `${root}BENCHMARKS.md`;
  let existing: string | null = null;
  try {
    existing = readFileSync(path, 'utf8');
  } catch {
    existing = null;
  }
  const preamble = '# Benchmarks\n\nMeasured by `npm run bench` (scripts/bench/). Figures are never edited by hand.\n';
  writeFileSync(path, spliceBenchmarks(existing, md, preamble));
}

/** scripts/bench/results.json (older files lack the later sections). */
interface Saved {
  machine: Machine;
  results: CaseResult[];
  lab?: LabResult[];
  gemm?: GemmResult[];
  gemmPeak?: GemmPeak | null;
  sequences?: SeqResult[];
  sequenceFlops?: Partial<Record<SeqNetId, number>>;
}

const readSaved = (): Saved => JSON.parse(readFileSync(`${root}scripts/bench/results.json`, 'utf8')) as Saved;

function render(s: Saved): string {
  return report(
    s.results,
    s.machine,
    s.lab ?? [],
    { results: s.gemm ?? [], peak: s.gemmPeak ?? null },
    { results: s.sequences ?? [], flops: s.sequenceFlops ?? {} },
  );
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.reportOnly) {
    const md = render(readSaved());
    console.log(md);
    if (o.write) writeReport(md);
    return;
  }
  const results: CaseResult[] = [];
  const labResults: LabResult[] = [];
  const gemm: GemmResult[] = [];
  const sequences: SeqResult[] = [];
  const started = Date.now();
  const loadStart = os.loadavg()[0];
  const measured = commit(); // at the start: others may commit while the bench runs
  let browserInfo: { chromium: string; page: PageInfo } | null = null;
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (o.browser && !existsSync(chromiumPath)) {
    console.log(`no Chromium at ${chromiumPath}: the browser cases are skipped (as root: apt-get install -y chromium)`);
  } else if (o.browser) browserInfo = await runBrowser(o, results, labResults, gemm, sequences);
  let nodeAdapter: string | null = null;
  if (o.node) {
    const nc = await nodeCases(o.seconds, o.rounds);
    nodeAdapter = nc.adapter;
    for (const c of nc.cases) {
      if (o.only && !o.only.test(`node:${c.lib}:${c.backend}:${c.net}`)) continue;
      const busy = await waitQuiet(o.quietWait);
      const r = await runNodeCase(c);
      if (r.ok) r.busyBefore = busy;
      results.push(r);
      console.log(line(r));
    }
    for (const c of seqCases('node', o.seconds, o.rounds)) {
      if (o.only && !o.only.test(seqName('node', c))) continue;
      const busy = await waitQuiet(o.quietWait);
      const r = await withTimeout(runSequenceCase(c, 'node'), CASE_TIMEOUT_MS, seqName('node', c)).catch(
        (e): SeqResult => ({ ok: false, case: c, where: 'node', error: String(e) }),
      );
      if (r.ok) r.busyBefore = busy;
      sequences.push(r);
      console.log(seqLine(r));
    }
    for (const v of GEMM_VARIANTS)
      for (const sh of GEMM_SHAPES) {
        if (o.only && !o.only.test(gemmName('node', v, sh.id))) continue;
        await waitQuiet(o.quietWait);
        const g = await runGemm(v, sh, GEMM_SECONDS, o.rounds, 'node');
        gemm.push(g);
        console.log(gemmLine(g));
      }
    for (const v of GPU_GEMM_VARIANTS)
      for (const sh of GEMM_SHAPES) {
        if (o.only && !o.only.test(gemmName('node', `webgpu ${v}`, sh.id))) continue;
        await waitQuiet(o.quietWait);
        const g = await webgpuBackend.device().then(
          (d) => runGemmGpu(d, v, sh, GEMM_SECONDS, o.rounds, 'node'),
          (e: unknown): GemmResult => ({
            where: 'node',
            variant: `webgpu ${v}`,
            shape: sh.id,
            ok: false,
            error: String(e),
          }),
        );
        gemm.push(g);
        console.log(gemmLine(g));
      }
  }
  const wantPeak = gemm.length > 0;
  const peak = wantPeak ? numpyPeak() : null;
  if (wantPeak)
    console.log(
      `numpy sgemm peak: ${peak ? `${peak.allCores.toFixed(1)} GFLOP/s (${peak.threads} threads), ${peak.oneThread.toFixed(1)} (1 thread)` : 'not measured'}`,
    );
  const machine: Machine = {
    date: new Date().toISOString(),
    nproc: nproc(),
    cpuModel: cpuModel(),
    memoryGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    chromium: browserInfo?.chromium ?? null,
    nodeAdapter,
    page: browserInfo?.page ?? null,
    commit: measured,
    load: { start: loadStart, end: os.loadavg()[0] },
    flopsPerStep: Object.fromEntries(NET_IDS.map((n) => [n, programCost(benchProgram(NETS[n])).flops])),
    settings: `${o.rounds} rounds of ~${o.seconds} s per case after warm-up, medians; loss read back every ~200 ms; each case waits up to ${o.quietWait} s for the machine to be under 25% busy; Lab cases: ${o.rounds} rounds of ~${o.labSeconds} s after the first second; total ${((Date.now() - started) / 60000).toFixed(1)} min${o.only ? `; only ${o.only.source}` : ''}`,
  };
  let all: Saved = {
    machine,
    results,
    lab: labResults,
    gemm,
    gemmPeak: peak,
    sequences,
    sequenceFlops: seqFlops(),
  };
  if (o.merge) {
    const saved = readSaved();
    const gkey = (g: GemmResult) => gemmName(g.where, g.variant, g.shape);
    const freshGemm = new Set(gemm.map(gkey));
    const key = (r: CaseResult) => `${r.where}:${r.case.lib}:${r.case.backend}:${r.case.net}`;
    const fresh = new Set(results.map(key));
    const freshLab = new Set(labResults.map((r) => r.id));
    const skey = (r: SeqResult) => seqName(r.where, r.case);
    const freshSeq = new Set(sequences.map(skey));
    all = {
      machine: {
        ...saved.machine,
        settings: `${saved.machine.settings}; merged with ${results.length + labResults.length + sequences.length} cases re-run at ${machine.date} (${machine.chromium ?? ''}, code ${machine.commit}, load average ${machine.load?.start.toFixed(2)} at the start and ${machine.load?.end.toFixed(2)} at the end of that run; ${machine.settings})`,
      },
      results: [...saved.results.filter((r) => !fresh.has(key(r))), ...results],
      lab: [...(saved.lab ?? []).filter((r) => !freshLab.has(r.id)), ...labResults],
      gemm: [...(saved.gemm ?? []).filter((g) => !freshGemm.has(gkey(g))), ...gemm],
      gemmPeak: peak ?? saved.gemmPeak ?? null,
      sequences: [...(saved.sequences ?? []).filter((r) => !freshSeq.has(skey(r))), ...sequences],
      sequenceFlops: seqFlops(),
    };
  }
  const md = render(all);
  console.log(`\n${md}\n`);
  if (o.write) {
    writeReport(md);
    writeFileSync(`${root}scripts/bench/results.json`, `${JSON.stringify(all, null, 2)}\n`);
    // Keep `npm run lint` (biome check .) clean: format the JSON the way the repo's formatter wants it.
    try {
      execFileSync(`${root}node_modules/.bin/biome`, ['format', '--write', 'scripts/bench/results.json'], {
        cwd: root,
        stdio: 'ignore',
      });
    } catch {
      console.log('note: could not format scripts/bench/results.json with biome');
    }
    console.log('wrote BENCHMARKS.md and scripts/bench/results.json');
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
