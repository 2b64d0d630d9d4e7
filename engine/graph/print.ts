// A readable listing of a compiled Program (tensors by name, ops per phase, memory), for debugging a wrong kernel
// or a surprising plan: `console.log(printProgram(compile(spec)))`.

import { type Op, opIO } from './ops';
import type { Program } from './program';

export function printProgram(p: Program): string {
  const name = (id: number): string => p.tensors[id]?.name ?? `#${id}`;
  const op = (o: Op): string => {
    const { reads, writes } = opIO(o);
    const attrs = Object.entries(o)
      .filter(([k, v]) => k !== 'kind' && typeof v !== 'number' && typeof v !== 'object')
      .map(([k, v]) => `${k}=${String(v)}`);
    const label =
      o.kind === 'unary' || o.kind === 'unary_grad'
        ? `${o.kind}:${o.fn}`
        : o.kind === 'loss' || o.kind === 'loss_grad'
          ? `${o.kind}:${o.loss}`
          : o.kind;
    return `  ${label.padEnd(22)} ${writes.map(name).join(', ')} <- ${reads.map(name).join(', ')}${attrs.length ? `  [${attrs.join(' ')}]` : ''}`;
  };
  const phase = (title: string, ops: Op[]): string[] => (ops.length ? [`${title}:`, ...ops.map(op)] : []);
  const kb = (n: number): string => `${((n * 4) / 1024).toFixed(1)} KiB`;
  return [
    `program: batch ${p.batchSize}, input [${p.inputShape.join(', ')}] -> output [${p.outputShape.join(', ')}], seed ${p.seed}`,
    `memory: state ${kb(p.arenas.state.size)} (params ${kb(p.regions.params.size)} x ${2 + Object.keys(p.regions.optState).length}), activations ${kb(p.arenas.activations.size)}`,
    `hypers: ${p.hypers.map((h) => `${h.id}:${h.name}`).join(' ')}`,
    ...phase('forward', p.forward),
    ...phase('metrics', p.metrics),
    ...phase('backward', p.backward),
    ...phase('clip', p.clip),
    ...phase('update', p.update),
    ...phase('eval', p.evalForward),
  ].join('\n');
}
