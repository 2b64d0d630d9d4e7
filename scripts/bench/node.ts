// Our engine in Node: cpu, webgpu (Dawn on SwiftShader, through engine/node/gpu.ts) and auto on each benchmark network,
// with the same harness and figures as the browser page.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BACKENDS } from '../../engine/backends/index';
import { getNodeGpu } from '../../engine/node/gpu';
import { installGpuCounters } from './gpuCounters';
import { NET_IDS } from './nets';
import { runOurs } from './ours';
import type { BenchCase, CaseResult } from './types';

let gc: (() => void) | null = null;
function forceGc(): boolean {
  if (!gc) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  if (!gc) return false;
  gc();
  gc();
  return true;
}

export async function nodeCases(
  seconds: number,
  rounds: number,
): Promise<{ adapter: string | null; cases: BenchCase[] }> {
  getNodeGpu(); // puts Dawn's classes on globalThis, so the counters can wrap them
  installGpuCounters();
  const a = await BACKENDS.webgpu.available();
  const cases: BenchCase[] = [];
  for (const net of NET_IDS) {
    for (const backend of ['cpu', 'cpu-1t', 'cpu-js', 'webgpu', 'auto'])
      cases.push({ lib: 'ours', backend, net, seconds, rounds });
  }
  return { adapter: a.ok ? a.detail : `unavailable: ${a.reason}`, cases };
}

export async function runNodeCase(c: BenchCase): Promise<CaseResult> {
  return runOurs(c, {
    where: 'node',
    async heap() {
      const gcd = forceGc();
      return { bytes: process.memoryUsage().heapUsed, gc: gcd };
    },
  });
}
