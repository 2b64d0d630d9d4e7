// What the Lab says when a run blows up, and the one-click fixes it offers: built from the engine's diagnosis
// (step, cause, first layer to blow up) and the spec that was training, so the advice names the actual numbers.
import type { DivergenceReport, ExperimentSpec, NormalizedSpec } from '../../../engine/index';
import { OPTIMIZERS } from './catalog';
import { designOf } from './design';
import { withDesign, withOptimizerField, withRegularization } from './edits';

export interface Fix {
  label: string;
  apply: (s: NormalizedSpec) => ExperimentSpec;
}

export interface DivergenceAdvice {
  text: string;
  fixes: Fix[];
}

const nice = (v: number) => String(Number(v.toPrecision(2)));

function hasBatchNorm(s: NormalizedSpec): boolean {
  const walk = (ls: NormalizedSpec['model']['layers']): boolean =>
    ls.some((l) => l.type === 'batchnorm' || (l.type === 'residual' && walk(l.layers)));
  return walk(s.model.layers);
}

export function divergenceAdvice(r: DivergenceReport, s: NormalizedSpec): DivergenceAdvice {
  const what =
    r.signal === 'loss'
      ? 'Loss became NaN'
      : r.signal === 'gradient'
        ? 'The gradients became NaN'
        : 'The weights became NaN';
  const lr = s.optimizer.lr;
  const opt = OPTIMIZERS.find((o) => o.id === s.optimizer.type)?.label ?? s.optimizer.type;
  const bn = hasBatchNorm(s);
  const lower = lr / 10;
  const fixes: Fix[] = [
    { label: `Use learning rate ${nice(lower)}`, apply: (x) => withOptimizerField(x, 'lr', lower) },
  ];
  const design = designOf(s.model.layers);
  if (!bn && design && design.blocks.length > 0)
    fixes.push({
      label: 'Add BatchNorm to every layer',
      apply: (x) => {
        const d = designOf(x.model.layers);
        return d
          ? withDesign(x, { ...d, blocks: d.blocks.map((b) => ({ ...b, batchnorm: true })) })
          : (x as unknown as ExperimentSpec);
      },
    });
  if (s.regularization.clipGradNorm === null)
    fixes.push({ label: 'Clip gradients at norm 1', apply: (x) => withRegularization(x, { clipGradNorm: 1 }) });
  let advice: string;
  if (r.cause === 'learning_rate')
    advice = `The learning rate ${nice(lr)} is likely too high for ${opt}${bn ? '' : ' without BatchNorm'}: try ${nice(lower)} or less.`;
  else if (r.cause === 'exploding_gradients')
    advice = `The gradients exploded${r.layer ? ` first in ${r.layer.label}` : ''}: clip them, or lower the learning rate from ${nice(lr)} to ${nice(lower)}.`;
  else
    advice = `It blew up within the first steps, so the initial weights are probably too large: try He or Xavier initialisation, or a learning rate of ${nice(lower)} instead of ${nice(lr)}.`;
  return {
    text: `${what} at step ${r.step.toLocaleString('en-US')}. ${advice} Training paused at step ${r.restoredStep.toLocaleString('en-US')}, the last healthy weights.`,
    fixes,
  };
}
