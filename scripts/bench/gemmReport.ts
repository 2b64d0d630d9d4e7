// BENCHMARKS.md tables for the GEMM microbenchmark (gemm.ts) and for issue 12's speed targets (Engine IV: the SIMD
// CPU kernels), against the figures measured before it (commit ad797c6, BENCHMARKS.md history).

import type { GemmResult } from './gemm';
import { GEMM_SHAPES } from './gemm';
import type { NetId } from './nets';
import type { CaseResult } from './types';

/** numpy's sgemm on 1024^3, all cores and one thread (OpenBLAS), GFLOP/s; null when numpy is missing. */
export interface GemmPeak {
  threads: number;
  allCores: number;
  oneThread: number;
  numpy: string;
}

const f = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) ? '-' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);

export function gemmTable(gemm: GemmResult[], peak: GemmPeak | null): string {
  if (gemm.length === 0) return 'Not measured in this run (`npm run bench -- --only=gemm --merge`).';
  const rows = [
    '| shape (m x n x k) | where | kernels | GFLOP/s (median) | rounds | of numpy 1-thread |',
    '|---|---|---|---:|---|---:|',
  ];
  for (const s of GEMM_SHAPES)
    for (const g of gemm.filter((x) => x.shape === s.id)) {
      if (!g.ok) {
        rows.push(`| ${s.id} | ${g.where} | ${g.variant} | - | - | ${g.error ?? ''} |`);
        continue;
      }
      const of = peak && g.gflops !== undefined ? `${((100 * g.gflops) / peak.oneThread).toFixed(0)}%` : '-';
      rows.push(
        `| ${s.id} | ${g.where} | ${g.variant} | ${f(g.gflops)} | ${(g.rounds ?? []).map(f).join(', ')} | ${of} |`,
      );
    }
  const p = peak
    ? `Machine peak for comparison: numpy ${peak.numpy} sgemm 1024^3 = ${f(peak.allCores)} GFLOP/s on ${peak.threads} threads, ${f(peak.oneThread)} GFLOP/s on one (OpenBLAS, best of 5 rounds of 1 s). The -mt rows split each GEMM by rows across the CPU backend's GEMM threads (engine/backends/cpu/simd/threads); the others run on one thread.`
    : 'Machine peak: not measured (no numpy for /usr/bin/python3; `apt-get install -y python3-numpy`).';
  return `${rows.join('\n')}\n\n${p}`;
}

/** Steps/s measured before the SIMD kernels (BENCHMARKS.md at commit ad797c6, browser). */
const BEFORE: Record<NetId, { cpu: number; webgpu: number }> = {
  a: { cpu: 93_469, webgpu: 2_186 },
  b: { cpu: 15.2, webgpu: 19.6 },
  c: { cpu: 8.83, webgpu: 9.55 },
};

type Ok = Extract<CaseResult, { ok: true }>;

function rate(results: CaseResult[], net: NetId, lib: string, backend: string): number | undefined {
  const r = results.find(
    (x): x is Ok =>
      x.ok && x.where === 'browser' && x.case.net === net && x.case.lib === lib && x.case.backend === backend,
  );
  return r?.measurement.stepsPerSec;
}

function best(results: CaseResult[], net: NetId, lib: string): { backend: string; rate: number } | undefined {
  let out: { backend: string; rate: number } | undefined;
  for (const r of results) {
    if (!r.ok || r.where !== 'browser' || r.case.net !== net || r.case.lib !== lib || r.case.backend === 'auto')
      continue;
    if (!out || r.measurement.stepsPerSec > out.rate)
      out = { backend: r.case.backend, rate: r.measurement.stepsPerSec };
  }
  return out;
}

export function engine4Targets(results: CaseResult[]): string {
  const div = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || !(b > 0) ? undefined : a / b;
  const tb = (net: NetId) => best(results, net, 'tfjs');
  const ob = (net: NetId) => best(results, net, 'ours');
  const t: { text: string; measured: number | undefined; goal: number; detail: string }[] = [
    {
      text: "(b) our best >= 1.5x TF.js's best",
      measured: div(ob('b')?.rate, tb('b')?.rate),
      goal: 1.5,
      detail: `ours ${ob('b')?.backend ?? '-'} ${f(ob('b')?.rate)}/s vs TF.js ${tb('b')?.backend ?? '-'} ${f(tb('b')?.rate)}/s`,
    },
    {
      text: "(b) our cpu >= 1x TF.js's best",
      measured: div(rate(results, 'b', 'ours', 'cpu'), tb('b')?.rate),
      goal: 1,
      detail: `ours cpu ${f(rate(results, 'b', 'ours', 'cpu'))}/s`,
    },
    {
      text: '(c) our cpu >= 3x the CPU figure before SIMD',
      measured: div(rate(results, 'c', 'ours', 'cpu'), BEFORE.c.cpu),
      goal: 3,
      detail: `${f(rate(results, 'c', 'ours', 'cpu'))}/s vs ${BEFORE.c.cpu}/s`,
    },
    {
      text: "(c) our best >= 10x TF.js's best",
      measured: div(ob('c')?.rate, tb('c')?.rate),
      goal: 10,
      detail: `ours ${ob('c')?.backend ?? '-'} ${f(ob('c')?.rate)}/s vs TF.js ${tb('c')?.backend ?? '-'} ${f(tb('c')?.rate)}/s`,
    },
    {
      text: '(a) our cpu no slower than before',
      measured: div(rate(results, 'a', 'ours', 'cpu'), BEFORE.a.cpu),
      goal: 1,
      detail: `${f(rate(results, 'a', 'ours', 'cpu'))}/s vs ${BEFORE.a.cpu}/s`,
    },
    {
      text: '(a) our webgpu no slower than before',
      measured: div(rate(results, 'a', 'ours', 'webgpu'), BEFORE.a.webgpu),
      goal: 1,
      detail: `${f(rate(results, 'a', 'ours', 'webgpu'))}/s vs ${BEFORE.a.webgpu}/s`,
    },
  ];
  const rows = ['| target | measured | status | figures (browser, medians) |', '|---|---:|---|---|'];
  for (const x of t) {
    // Within 10% of "no slower" counts as a tie on a shared machine; the other targets are strict.
    const tie = x.goal === 1 && x.text.includes('no slower') ? 0.9 : 1;
    const status =
      x.measured === undefined
        ? 'not measured'
        : x.measured >= x.goal * tie
          ? 'met'
          : `not met: ${(x.goal / x.measured).toFixed(2)}x short`;
    rows.push(
      `| ${x.text} | ${x.measured === undefined ? '-' : `${x.measured.toFixed(2)}x`} | ${status} | ${x.detail} |`,
    );
  }
  return rows.join('\n');
}
