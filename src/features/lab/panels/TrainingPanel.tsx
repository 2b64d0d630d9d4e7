// Training: the optimizer and its hyperparameters, the learning rate and its schedule (with a small plot of the
// schedule and where the run is on it), batch size, penalties, clipping, label smoothing, early stopping and the
// seed. Everything here except the optimizer type, the schedule shape and the seed applies to a running training
// at once.
import { useMemo } from 'react';
import {
  type ExperimentSpec,
  learningRate,
  type NormalizedSpec,
  type RunId,
  type ScheduleType,
} from '../../../../engine/index';
import { SchedulePlot } from '../../../plots/SchedulePlot';
import { useRuns } from '../../../state/runs';
import { OPTIMIZERS, SCHEDULES, taskOf } from '../catalog';
import { fmtHyper, Select, Slider, Switch } from '../controls/Form';
import {
  withLabelSmoothing,
  withOptimizer,
  withOptimizerField,
  withRegularization,
  withSchedule,
  withTraining,
  withWarmup,
} from '../edits';
import { useThrottled } from '../useThrottled';
import { RangeTestButton } from './RangeTestPanel';

interface Props {
  spec: NormalizedSpec;
  edit: (next: ExperimentSpec) => void;
  /** The run whose position the schedule plot marks. */
  run: RunId;
  patience: number;
  setPatience: (n: number) => void;
}

const BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

export function TrainingPanel({ spec, edit, run, patience, setPatience }: Props) {
  // The marker moves a few times a second; the rest of the panel only re-renders on edits.
  const step = useThrottled(
    useRuns((s) => s.runs[run]?.step ?? 0),
    250,
  );
  const backend = useRuns((s) => s.runs[run]?.compiled?.backend);
  // The schedule plot spans the planned run, or the steps taken when the learner trains past it.
  const horizon = Math.max(spec.training.steps, step + 1);
  const o = spec.optimizer as unknown as Record<string, unknown> & { type: string; lr: number };
  const def = OPTIMIZERS.find((x) => x.id === o.type);
  const reg = spec.regularization;
  const trainRows = spec.data ? spec.data.points - Math.round(spec.data.points * spec.data.valFraction) : 1024;
  const batches = BATCHES.filter((b) => b <= trainRows);
  const batchIndex = Math.max(
    0,
    batches.findIndex((b) => b >= spec.training.batchSize),
  );
  const curve = useMemo(() => {
    // One value per step (the plot downsamples); long horizons are capped, the marker then sits at the end.
    const n = Math.max(2, Math.min(20_000, horizon));
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) ys[i] = learningRate(spec.schedule, spec.optimizer.lr, i);
    return ys;
  }, [spec.schedule, spec.optimizer.lr, horizon]);
  const betaValue = (k: string) => {
    const betas = o.betas as number[] | undefined;
    return betas ? betas[k === 'beta1' ? 0 : 1] : 0;
  };
  return (
    <section className="lab-panel" aria-labelledby="lab-train-h">
      <h2 id="lab-train-h">Training</h2>
      <Select
        label="Optimizer"
        value={spec.optimizer.type}
        options={OPTIMIZERS}
        onChange={(t) => edit(withOptimizer(spec, t))}
      />
      <Slider
        label="Learning rate"
        value={spec.optimizer.lr}
        min={1e-5}
        max={10}
        log
        format={fmtHyper}
        onChange={(v) => edit(withOptimizerField(spec, 'lr', v))}
      />
      <RangeTestButton
        spec={spec}
        backend={backend ?? 'auto'}
        onApply={(v) => edit(withOptimizerField(spec, 'lr', v))}
      />
      {def?.fields.map((f) => {
        const v = f.key.startsWith('beta') ? betaValue(f.key) : Number(o[f.key] ?? 0);
        return f.key === 'weightDecay' ? (
          <Slider
            key={f.key}
            label={f.label}
            value={v}
            min={1e-5}
            max={f.max}
            log
            zero
            format={fmtHyper}
            onChange={(x) => edit(withOptimizerField(spec, f.key, x))}
          />
        ) : (
          <Slider
            key={f.key}
            label={f.label}
            value={v}
            min={f.min}
            max={f.max}
            step={f.step}
            format={fmtHyper}
            onChange={(x) => edit(withOptimizerField(spec, f.key, x))}
          />
        );
      })}
      <Select
        label="Schedule"
        value={spec.schedule.type}
        options={SCHEDULES}
        onChange={(t: ScheduleType) => edit(withSchedule(spec, t, horizon))}
      />
      <Slider
        label="Warmup steps"
        value={spec.schedule.warmupSteps}
        min={0}
        max={Math.max(100, Math.round(horizon / 2))}
        step={10}
        onChange={(v) => edit(withWarmup(spec, v))}
      />
      <SchedulePlot label="Learning-rate schedule" values={curve} step={Math.min(step, curve.length - 1)} height={72} />
      <Slider
        label="Batch size"
        value={batchIndex}
        min={0}
        max={batches.length - 1}
        step={1}
        format={(i) => String(batches[i] ?? spec.training.batchSize)}
        onChange={(i) => edit(withTraining(spec, { batchSize: batches[i] }))}
      />
      <Slider
        label="L1 penalty"
        value={reg.l1}
        min={1e-6}
        max={0.1}
        log
        zero
        format={fmtHyper}
        onChange={(v) => edit(withRegularization(spec, { l1: v }))}
      />
      <Slider
        label="L2 penalty"
        value={reg.l2}
        min={1e-6}
        max={0.1}
        log
        zero
        format={fmtHyper}
        onChange={(v) => edit(withRegularization(spec, { l2: v }))}
      />
      <div className="lab-row">
        <Switch
          label="Clip gradient norm"
          checked={reg.clipGradNorm !== null}
          onChange={(on) => edit(withRegularization(spec, { clipGradNorm: on ? 1 : null }))}
        />
      </div>
      {reg.clipGradNorm !== null && (
        <Slider
          label="Max gradient norm"
          value={reg.clipGradNorm}
          min={0.01}
          max={100}
          log
          format={fmtHyper}
          onChange={(v) => edit(withRegularization(spec, { clipGradNorm: v }))}
        />
      )}
      {spec.loss.type === 'cross_entropy' && (
        <Slider
          label="Label smoothing"
          value={spec.loss.labelSmoothing}
          min={0}
          max={0.3}
          step={0.01}
          format={fmtHyper}
          onChange={(v) => edit(withLabelSmoothing(spec, v))}
        />
      )}
      <Slider
        label="Early stopping patience"
        value={patience}
        min={0}
        max={20}
        step={1}
        format={(v) => (v === 0 ? 'off' : `${v} evaluation${v === 1 ? '' : 's'}`)}
        onChange={setPatience}
        hint={
          taskOf(spec) === 'mnist'
            ? 'Validation runs once per epoch.'
            : 'Validation runs once per epoch (or every half second).'
        }
      />
      <Slider
        label="Seed"
        value={spec.training.seed}
        min={0}
        max={99}
        step={1}
        onChange={(seed) => edit(withTraining(spec, { seed }))}
        hint="Initial weights, shuffling and dropout masks follow the seed."
      />
    </section>
  );
}
