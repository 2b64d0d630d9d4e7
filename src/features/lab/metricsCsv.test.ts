import { describe, expect, it } from 'vitest';
import { newRun, type RunView } from '../../state/runs';
import { metricsCsv } from './metricsCsv';

function runWith(
  train: { step: number[]; loss: number[]; accuracy?: number[]; lr: number[] },
  val: { step: number[]; loss: number[]; accuracy: number[] } = { step: [], loss: [], accuracy: [] },
): RunView {
  const r = newRun('main');
  r.train.step.push(train.step);
  r.train.loss.push(train.loss);
  if (train.accuracy) r.train.accuracy.push(train.accuracy);
  r.train.lr.push(train.lr);
  r.val.step.push(val.step);
  r.val.loss.push(val.loss);
  r.val.accuracy.push(val.accuracy);
  return r;
}

const rowsOf = (csv: string) =>
  csv
    .trimEnd()
    .split('\n')
    .map((l) => l.split(','));

describe('metricsCsv', () => {
  it('has the header, one row per step and a final newline', () => {
    const csv = metricsCsv(
      runWith({ step: [0, 1, 2], loss: [0.9, 0.8, 0.7], accuracy: [0.5, 0.6, 0.7], lr: [0.1, 0.1, 0.05] }),
    );
    expect(csv).toBe(
      'step,loss,accuracy,lr,val_loss,val_accuracy\n0,0.9,0.5,0.1,,\n1,0.8,0.6,0.1,,\n2,0.7,0.7,0.05,,\n',
    );
    expect(metricsCsv(newRun('x'))).toBe('step,loss,accuracy,lr,val_loss,val_accuracy\n');
  });

  it('puts an evaluation reported with step s on the row of step s - 1 (taken after s steps)', () => {
    const steps = [0, 1, 2, 3, 4, 5];
    const run = runWith(
      { step: steps, loss: steps.map((s) => 1 / (s + 1)), accuracy: steps.map(() => 0.5), lr: steps.map(() => 0.01) },
      { step: [3, 6], loss: [0.4, 0.2], accuracy: [0.75, 0.9] },
    );
    const rows = rowsOf(metricsCsv(run));
    expect(rows).toHaveLength(7);
    const val = rows.slice(1).map((r) => [r[0], r[4], r[5]]);
    expect(val).toEqual([
      ['0', '', ''],
      ['1', '', ''],
      ['2', '0.4', '0.75'],
      ['3', '', ''],
      ['4', '', ''],
      ['5', '0.2', '0.9'],
    ]);
  });

  it('leaves accuracy cells empty for regression and a NaN validation accuracy', () => {
    const run = runWith(
      { step: [0, 1], loss: [0.3, 0.2], lr: [0.01, 0.01] },
      { step: [2], loss: [0.25], accuracy: [Number.NaN] },
    );
    expect(rowsOf(metricsCsv(run)).slice(1)).toEqual([
      ['0', '0.3', '', '0.01', '', ''],
      ['1', '0.2', '', '0.01', '0.25', ''],
    ]);
  });

  it('round-trips every number exactly (float32 metrics and float64 values alike)', () => {
    const n = 200;
    const steps = Array.from({ length: n }, (_, i) => i + 1000);
    const f32 = (x: number) => Math.fround(x);
    const run = runWith(
      {
        step: steps,
        loss: steps.map((s) => f32(Math.exp(-s / 300) / 3)),
        accuracy: steps.map((s) => f32((s % 97) / 97)),
        lr: steps.map((s) => 0.1 * 0.999 ** s),
      },
      { step: [1050, 1100, 1200], loss: [1 / 3, 1e-9, f32(0.1)], accuracy: [2 / 3, 1, 0] },
    );
    const rows = rowsOf(metricsCsv(run)).slice(1);
    expect(rows).toHaveLength(n);
    const views = [run.train.step, run.train.loss, run.train.accuracy, run.train.lr].map((c) => c.view());
    rows.forEach((r, i) => {
      for (let k = 0; k < 4; k++) expect(Number(r[k])).toBe(views[k][i]);
    });
    const at = (step: number) => rows.find((r) => r[0] === String(step - 1)) ?? [];
    expect([Number(at(1050)[4]), Number(at(1050)[5])]).toEqual([1 / 3, 2 / 3]);
    expect(Number(at(1100)[4])).toBe(1e-9);
    expect(Number(at(1200)[4])).toBe(f32(0.1));
  });
});
