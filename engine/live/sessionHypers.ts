// Hot hyperparameter changes of a live session. Most go to Runtime.setHyper before the next submit (the compiled
// program reads them from its uniform block); what the program cannot take there recompiles it, keeping weights,
// optimizer state and step: a batch size, gradient clipping turned on or off, the L1/L2 penalties turned on.

import type { HotHypers } from '../backends/backend';
import type { Program } from '../graph/program';
import type { NormalizedSpec } from '../spec/types';
import type { SessionCompile } from './sessionCompile';
import type { SessionCore } from './sessionCore';
import type { SessionLoop } from './sessionLoop';
import type { HyperChange } from './types';

const HOT_KEYS: readonly (keyof HotHypers)[] = [
  'lr',
  'momentum',
  'dampening',
  'betas',
  'eps',
  'alpha',
  'weightDecay',
  'lrDecay',
  'dropout',
  'labelSmoothing',
  'l1',
  'l2',
  'clipGradNorm',
  'clipGradValue',
];

export class SessionHypers {
  constructor(
    private readonly core: SessionCore,
    private readonly loop: SessionLoop,
    private readonly compilation: SessionCompile,
  ) {}

  async setHyper(change: HyperChange): Promise<{ applied: string[]; ignored: string[]; step: number }> {
    const c = this.core;
    c.requireProgram();
    const bad = Object.entries(change).find(([, v]) =>
      Array.isArray(v) ? v.some((x) => !Number.isFinite(x)) : typeof v !== 'number' || !Number.isFinite(v),
    );
    if (bad) throw new Error(`setHyper: ${bad[0]} must be a finite number`);
    if (change.batchSize !== undefined && !(change.batchSize >= 1)) throw new Error('setHyper: batchSize must be >= 1');
    const hot: Partial<HotHypers> = {};
    for (const k of HOT_KEYS) if (change[k] !== undefined) (hot as Record<string, unknown>)[k] = change[k];
    const p = c.program as Program;
    const structural = structuralSpec(c.spec as NormalizedSpec, p, change);
    const ignored = Object.keys(hot).filter(
      (k) => !usesHyper(p, k as keyof HotHypers) && !structural?.keys.includes(k),
    );
    const applied = [
      ...Object.keys(hot).filter((k) => !ignored.includes(k)),
      ...(structural?.keys.includes('batchSize') ? ['batchSize'] : []),
    ];
    if (structural) {
      const wasTraining = c.loop !== null;
      await this.loop.pause();
      await c.exclusive(async () => {
        c.hot = { ...c.hot, ...hot };
        await this.compilation.recompileNow(structural.spec, true);
      });
      if (wasTraining) this.loop.train();
      return { applied, ignored, step: c.step };
    }
    return c.exclusive(async () => {
      c.hot = { ...c.hot, ...hot };
      c.runtime?.setHyper(hot);
      return { applied, ignored, step: c.step };
    });
  }
}

/** Whether a hot key feeds this program: lr always (the schedule); the rest through a uniform slot. */
function usesHyper(p: Program, key: keyof HotHypers): boolean {
  if (key === 'lr') return true;
  const names = p.hypers.map((h) => h.name as string);
  if (key === 'betas') return names.includes('beta1');
  if (key === 'dropout') return names.some((n) => n.startsWith('dropout.'));
  return names.includes(key);
}

/** The spec to recompile to when a change needs ops the program does not have (or must lose), else null. */
function structuralSpec(
  spec: NormalizedSpec,
  p: Program,
  change: HyperChange,
): { spec: NormalizedSpec; keys: string[] } | null {
  const reg = { ...spec.regularization };
  const keys: string[] = [];
  const training = { ...spec.training };
  if (change.batchSize !== undefined && Math.floor(change.batchSize) !== spec.training.batchSize) {
    training.batchSize = Math.floor(change.batchSize);
    keys.push('batchSize');
  }
  for (const k of ['clipGradNorm', 'clipGradValue'] as const) {
    const v = change[k];
    if (v === undefined) continue;
    const want = v > 0 ? v : null;
    if ((reg[k] === null) !== (want === null)) {
      reg[k] = want;
      keys.push(k);
    }
  }
  const penalties = p.hypers.some((h) => h.name === 'l1');
  if (!penalties && ((change.l1 ?? 0) > 0 || (change.l2 ?? 0) > 0)) {
    reg.l1 = change.l1 ?? reg.l1;
    reg.l2 = change.l2 ?? reg.l2;
    keys.push(...(['l1', 'l2'] as const).filter((k) => change[k] !== undefined));
  }
  if (keys.length === 0) return null;
  return { spec: { ...spec, regularization: reg, training }, keys };
}
