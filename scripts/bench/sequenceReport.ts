// The sequence rows' Markdown (scripts/bench/sequences.ts): each case's steps/s and tokens/s, and our engine's LSTM
// against TF.js's LSTM layer in the same place (browser or Node).

import type { SeqNetId, SeqResult } from './sequences';
import { SEQ_NET_IDS, SEQ_NETS, TOKENS_PER_STEP } from './sequences';
import type { Where } from './types';

const fmt = (v: number | undefined, digits = 3): string => {
  if (v === undefined || !Number.isFinite(v)) return '-';
  if (v >= 1000) return Math.round(v).toLocaleString('en-US');
  if (v >= 100) return v.toFixed(0);
  return Number(v.toPrecision(digits)).toString();
};

const label = (r: SeqResult): string =>
  `${r.case.lib === 'tfjs' ? 'TF.js' : 'ours'} ${r.case.backend}${r.where === 'node' ? ' (Node)' : ''}`;

const WHERE_ORDER: Where[] = ['browser', 'node'];

function ordered(results: SeqResult[]): SeqResult[] {
  const rank = (r: SeqResult) =>
    SEQ_NET_IDS.indexOf(r.case.net) * 10 + WHERE_ORDER.indexOf(r.where) * 2 + (r.case.lib === 'tfjs' ? 0 : 1);
  return [...results].sort((a, b) => rank(a) - rank(b));
}

export function sequenceTable(results: SeqResult[], flops: Partial<Record<SeqNetId, number>>): string {
  if (results.length === 0) return 'Not run (`--only` left them out).';
  const rows = [
    `Nets: ${SEQ_NET_IDS.map((n) => `**${n}**: ${SEQ_NETS[n].title} (${fmt((flops[n] ?? Number.NaN) / 1e6)} MFLOP per step, our Program's count)`).join('; ')}. Tokens/s = steps/s x ${TOKENS_PER_STEP} (batch 32 x T 32).`,
    '',
    '| net | library / backend | steps/s (median) | rounds | tokens/s | GFLOP/s | steps per read-back | warm-up s | notes |',
    '|---|---|---:|---|---:|---:|---:|---:|---|',
  ];
  for (const r of ordered(results)) {
    if (!r.ok) {
      rows.push(`| ${r.case.net} | ${label(r)} | - | - | - | - | - | - | ${r.error.replace(/\|/g, '/')} |`);
      continue;
    }
    const m = r.measurement;
    const notes = [...r.notes];
    if (r.busyBefore !== undefined && r.busyBefore > 0.25)
      notes.push(`machine ${Math.round(r.busyBefore * 100)}% busy at start`);
    const f = flops[r.case.net];
    rows.push(
      `| ${r.case.net} | ${label(r)} | ${fmt(m.stepsPerSec)} | ${m.rounds.map((x) => fmt(x)).join(', ')} | ${fmt(m.stepsPerSec * TOKENS_PER_STEP)} | ${f === undefined ? '-' : fmt((m.stepsPerSec * f) / 1e9)} | ${m.stepsPerCall} | ${m.warmupSeconds.toFixed(1)} | ${notes.join('; ').replace(/\|/g, '/')} |`,
    );
  }
  return rows.join('\n');
}

/** Ours against TF.js's LSTM layer, per place: same backend where both have it, and best against best. */
export function sequenceRatios(results: SeqResult[]): string {
  const rate = (where: Where, lib: string, backend: string): number | undefined => {
    const r = results.find(
      (x) => x.ok && x.where === where && x.case.net === 'lstm' && x.case.lib === lib && x.case.backend === backend,
    );
    return r?.ok ? r.measurement.stepsPerSec : undefined;
  };
  const best = (where: Where, lib: string): { backend: string; rate: number } | undefined => {
    let out: { backend: string; rate: number } | undefined;
    for (const r of results)
      if (r.ok && r.where === where && r.case.net === 'lstm' && r.case.lib === lib)
        if (!out || r.measurement.stepsPerSec > out.rate)
          out = { backend: r.case.backend, rate: r.measurement.stepsPerSec };
    return out;
  };
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || !(b > 0) ? 'n/a' : `${fmt(a / b)}x`;
  const rows = [
    '| LSTM, where | ours cpu / TF.js cpu | ours webgpu / TF.js webgpu | ours best / TF.js best | TF.js best | ours best |',
    '|---|---:|---:|---:|---|---|',
  ];
  for (const where of WHERE_ORDER) {
    if (!results.some((r) => r.where === where)) continue;
    const tb = best(where, 'tfjs');
    const ob = best(where, 'ours');
    rows.push(
      `| ${where} | ${ratio(rate(where, 'ours', 'cpu'), rate(where, 'tfjs', 'cpu'))} | ${ratio(rate(where, 'ours', 'webgpu'), rate(where, 'tfjs', 'webgpu'))} | ${ratio(ob?.rate, tb?.rate)} | ${tb ? `${tb.backend} ${fmt(tb.rate * TOKENS_PER_STEP)} tokens/s` : '-'} | ${ob ? `${ob.backend} ${fmt(ob.rate * TOKENS_PER_STEP)} tokens/s` : '-'} |`,
    );
  }
  return rows.join('\n');
}
