// The benchmark page: exposes window.bench for scripts/bench/run.ts, which calls one case at a time through
// Playwright (page.evaluate), so every case runs in the same browser, one after the other.
// WebGPU dispatches and submits are counted by wrapping the prototypes, the same way for TF.js and for our engine.

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { runBare } from '../bare';
import { GEMM_SHAPES, GEMM_VARIANTS, type GemmResult, runGemm } from '../gemm';
import { type GpuGemmVariant, runGemmGpu } from '../gemmGpu';
import { gpuCounters, installGpuCounters } from '../gpuCounters';
import { measure } from '../harness';
import { runLandscapeCase } from '../landscape';
import { NETS } from '../nets';
import { runOurs } from '../ours';
import { runSequenceCase, type SeqCase } from '../sequences';
import type { BenchCase, CaseResult, PageInfo } from '../types';
import { tfjsTrainer } from './tfjsNets';

installGpuCounters();
setWasmPaths('/wasm/');

const log = (s: string): void => {
  const el = document.getElementById('log');
  if (el) el.textContent += `${s}\n`;
};

async function info(): Promise<PageInfo> {
  let adapter: PageInfo['adapter'] = null;
  try {
    const a = await navigator.gpu?.requestAdapter();
    if (a)
      adapter = {
        vendor: a.info.vendor,
        architecture: a.info.architecture,
        device: a.info.device,
        description: a.info.description,
      };
  } catch {
    adapter = null;
  }
  let simd: boolean | null = null;
  let threads: boolean | null = null;
  try {
    simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
    threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean;
  } catch {
    // flags are registered by the wasm backend import; leave null if not
  }
  return {
    userAgent: navigator.userAgent,
    crossOriginIsolated: self.crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency,
    adapter,
    tfjsVersion: tf.version.tfjs,
    wasm: { simd, threads },
    ours: { available: true, reason: 'engine/backends/runtime.ts and engine/live/session.ts' },
  };
}

async function runTfjs(c: BenchCase): Promise<CaseResult> {
  const net = NETS[c.net];
  const backend = c.backend === 'wasm-mt' ? 'wasm' : c.backend;
  // TF.js picks its threaded wasm build whenever the page is cross-origin isolated; 'wasm' asks for the
  // single-threaded SIMD build (what most deployments get), 'wasm-mt' for the threaded one.
  if (backend === 'wasm') tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', c.backend === 'wasm-mt');
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`TF.js could not initialise its ${backend} backend`);
  await tf.ready();
  const trainer = tfjsTrainer(net);
  try {
    const notes: string[] = [];
    if (backend === 'wasm') {
      notes.push(
        `wasm simd=${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')} threads=${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}`,
      );
    }
    const d0 = { ...gpuCounters };
    const m = await measure(trainer, { seconds: c.seconds, rounds: c.rounds });
    const gpu = c.backend === 'webgpu';
    const per = (v: number): number => v / m.totalSteps;
    return {
      ok: true,
      case: c,
      where: 'browser',
      measurement: m,
      dispatchesPerStep: gpu ? per(gpuCounters.dispatches - d0.dispatches) : null,
      dispatchSource: gpu ? 'counted (dispatchWorkgroups calls / steps)' : undefined,
      submitsPerStep: gpu ? per(gpuCounters.submits - d0.submits) : null,
      notes,
    };
  } finally {
    await trainer.dispose();
  }
}

/** Chromium's heap figure: precise with --enable-precise-memory-info, after a real GC with --js-flags=--expose-gc. */
async function heap(): Promise<{ bytes: number; gc: boolean } | null> {
  const w = window as unknown as { gc?: () => void };
  const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  if (!mem) return null;
  if (w.gc) {
    w.gc();
    w.gc();
  }
  return { bytes: mem.usedJSHeapSize, gc: w.gc !== undefined };
}

async function run(c: BenchCase): Promise<CaseResult> {
  log(`${c.lib} ${c.backend} ${c.net} ...`);
  try {
    if (c.lib === 'tfjs') return await runTfjs(c);
    return await runOurs(c, { where: 'browser', heap });
  } catch (e) {
    let error = e instanceof Error ? e.message : String(e);
    if (c.lib === 'tfjs' && /not registered for backend/.test(error))
      error = `TF.js cannot train this network here: ${error}`;
    return { ok: false, case: c, where: 'browser', error };
  }
}

/** The bare engine on a spec the Lab ran (scripts/bench/lab.ts): no UI, same spec, data and backend. */
async function bare(req: Parameters<typeof runBare>[0]): ReturnType<typeof runBare> {
  log(`bare ${req.backend} ...`);
  try {
    return await runBare(req);
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The GEMM microbenchmark (../gemm.ts) on one CPU kernel variant and shape. */
async function gemm(variant: string, shape: string, seconds: number, rounds: number): Promise<GemmResult> {
  log(`gemm ${variant} ${shape} ...`);
  const s = GEMM_SHAPES.find((x) => x.id === shape);
  if (!s) return { where: 'browser', variant, shape, ok: false, error: 'unknown gemm shape' };
  try {
    const gpu = /^webgpu (blocked|tiled)$/.exec(variant);
    if (gpu) {
      const adapter = await navigator.gpu?.requestAdapter();
      if (!adapter) return { where: 'browser', variant, shape, ok: false, error: 'no WebGPU adapter' };
      const device = await adapter.requestDevice();
      try {
        return await runGemmGpu(device, gpu[1] as GpuGemmVariant, s, seconds, rounds, 'browser');
      } finally {
        device.destroy();
      }
    }
    const cpu = GEMM_VARIANTS.find((v) => v === variant);
    if (cpu === undefined) return { where: 'browser', variant, shape, ok: false, error: 'unknown gemm variant' };
    return await runGemm(cpu, s, seconds, rounds, 'browser');
  } catch (e) {
    return { where: 'browser', variant, shape, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** A loss-landscape case (scripts/bench/landscape.ts). */
const landscape = (c: Parameters<typeof runLandscapeCase>[0]) => runLandscapeCase(c, 'browser');

/** A sequence row (scripts/bench/sequences.ts): the LSTM or the transformer, ours or TF.js's LSTM layer. */
async function sequence(c: SeqCase): ReturnType<typeof runSequenceCase> {
  log(`sequence ${c.lib} ${c.backend} ${c.net} ...`);
  return runSequenceCase(c, 'browser');
}

declare global {
  interface Window {
    bench: {
      info: typeof info;
      run: typeof run;
      bare: typeof bare;
      gemm: typeof gemm;
      landscape: typeof landscape;
      sequence: typeof sequence;
      tf: typeof tf;
    };
  }
}

// tf is exposed for poking at TF.js by hand (page.evaluate) when a figure looks wrong.
window.bench = { info, run, bare, gemm, landscape, sequence, tf };
document.title = 'bench ready';
