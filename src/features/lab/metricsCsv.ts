// A run's metrics as CSV (one row per training step; validation columns filled on the steps it was evaluated), for
// learners who want the numbers in a spreadsheet and for tests that compare runs exactly.
import type { RunView } from '../../state/runs';

export function metricsCsv(run: RunView): string {
  const steps = run.train.step.view();
  const loss = run.train.loss.view();
  const acc = run.train.accuracy.view();
  const lr = run.train.lr.view();
  const val = new Map<number, [number, number]>();
  const vs = run.val.step.view();
  for (let i = 0; i < vs.length; i++) val.set(vs[i], [run.val.loss.view()[i], run.val.accuracy.view()[i]]);
  const cell = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '' : String(v));
  const rows = ['step,loss,accuracy,lr,val_loss,val_accuracy'];
  for (let i = 0; i < steps.length; i++) {
    // An evaluation at step s was taken after s steps, i.e. after the step numbered s - 1.
    const v = val.get(steps[i] + 1);
    rows.push([steps[i], cell(loss[i]), cell(acc[i]), cell(lr[i]), cell(v?.[0]), cell(v?.[1])].join(','));
  }
  return `${rows.join('\n')}\n`;
}

export function downloadText(name: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
