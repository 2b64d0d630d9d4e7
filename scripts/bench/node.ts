// Our engine in Node: cpu and webgpu (Dawn on SwiftShader through engine/node/gpu.ts) on each benchmark network.

import { NET_IDS } from './nets';
import type { BenchCase, CaseResult } from './types';

export async function nodeCases(
  seconds: number,
  rounds: number,
): Promise<{ adapter: string | null; cases: BenchCase[] }> {
  const cases: BenchCase[] = [];
  for (const net of NET_IDS) {
    for (const backend of ['cpu', 'webgpu']) cases.push({ lib: 'ours', backend, net, seconds, rounds });
  }
  return { adapter: null, cases };
}

export async function runNodeCase(c: BenchCase): Promise<CaseResult> {
  return { ok: false, case: c, where: 'node', error: "not yet available: our engine's runtime has not landed" };
}
