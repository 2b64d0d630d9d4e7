// The transport bar: play/pause, one step, rewind (back to the same initial weights) and reset (new initial
// weights), and the live counters as text with accessible names, one row per run in compare mode.
import type { RunId } from '../../../../engine/index';
import { type RunView, useRuns } from '../../../state/runs';

interface Props {
  runs: { id: RunId; label: string }[];
  playing: boolean;
  busy: boolean;
  onPlay: () => void;
  onPause: () => void;
  onStep: () => void;
  onRewind: () => void;
  onReset: () => void;
  /** Compare mode: rewind one run alone. */
  onRewindRun?: (id: RunId) => void;
}

const nf = new Intl.NumberFormat('en-US');
const fmtLoss = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? '–' : v < 0.001 ? v.toExponential(2) : v.toFixed(4);
const fmtAcc = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(1)}%`);

export function RunBar({ runs, playing, busy, onPlay, onPause, onStep, onRewind, onReset, onRewindRun }: Props) {
  return (
    <div className="lab-runbar">
      <div className="lab-transport" role="toolbar" aria-label="Training controls">
        {playing ? (
          <button
            type="button"
            className="lab-play is-playing"
            onClick={onPause}
            aria-label="Pause training"
            data-testid="pause"
          >
            <PauseIcon /> <span>Pause</span>
          </button>
        ) : (
          <button
            type="button"
            className="lab-play"
            onClick={onPlay}
            disabled={busy}
            aria-label="Train"
            data-testid="play"
          >
            <PlayIcon /> <span>Train</span>
          </button>
        )}
        <button
          type="button"
          className="lab-button"
          onClick={onStep}
          disabled={busy || playing}
          aria-label="Train one step"
          data-testid="step"
        >
          Step
        </button>
        <button
          type="button"
          className="lab-button"
          onClick={onRewind}
          disabled={busy}
          title="Back to step 0 with the same initial weights: the same curve follows"
          data-testid="rewind"
        >
          Rewind
        </button>
        <button
          type="button"
          className="lab-button"
          onClick={onReset}
          disabled={busy}
          title="New random initial weights (the next seed)"
          data-testid="reset"
        >
          Reset
        </button>
      </div>
      <div className="lab-counters">
        {runs.map((r) => (
          <Counters
            key={r.id}
            id={r.id}
            label={runs.length > 1 ? r.label : null}
            onRewind={runs.length > 1 && !busy ? onRewindRun : undefined}
          />
        ))}
      </div>
    </div>
  );
}

function Counters({ id, label, onRewind }: { id: RunId; label: string | null; onRewind?: (id: RunId) => void }) {
  const run = useRuns((s) => s.runs[id]) as RunView | undefined;
  const suffix = label ? ` (${label})` : '';
  const tid = (name: string) => (label ? `${name}-${id}` : name);
  const val = run?.val;
  const items: [string, string, string][] = [
    ['Step', run ? nf.format(run.step) : '0', 'step-count'],
    ['Epoch', run ? nf.format(run.epoch) : '0', 'epoch'],
    ['Training loss', fmtLoss(run?.train.loss.last()), 'train-loss'],
    ['Validation loss', fmtLoss(val?.loss.last()), 'val-loss'],
    ['Validation accuracy', fmtAcc(val?.accuracy.last()), 'val-accuracy'],
    [
      'Samples per second',
      run && run.samplesPerSecond > 0 ? nf.format(Math.round(run.samplesPerSecond)) : '–',
      'samples-per-second',
    ],
  ];
  // Regression runs report no accuracy (NaN): leave the counter out rather than show a dash forever.
  const shown = Number.isNaN(val?.accuracy.last() ?? 0) ? items.filter((x) => x[2] !== 'val-accuracy') : items;
  return (
    <dl className="lab-counter-row" data-run={id}>
      {label && <dt className="lab-run-tag">{label}</dt>}
      {shown.map(([name, value, testId]) => (
        <div key={name} className="lab-counter">
          <dt>{name}</dt>
          <dd>
            <output aria-label={`${name}${suffix}`} data-testid={tid(testId)}>
              {value}
            </output>
          </dd>
        </div>
      ))}
      {onRewind && label && (
        <button
          type="button"
          className="lab-icon-button lab-rewind-one"
          aria-label={`Rewind run ${label}`}
          title={`Rewind run ${label} alone`}
          onClick={() => onRewind(id)}
          data-testid={`rewind-${id}`}
        >
          ↺
        </button>
      )}
      <div className="lab-counter lab-backend">
        <dt>Backend</dt>
        <dd title={run?.decision?.reason ?? ''} data-testid={tid('backend')}>
          {run?.status === 'compiling'
            ? 'compiling…'
            : run?.decision
              ? run.decision.backend === 'webgpu'
                ? 'WebGPU'
                : 'CPU'
              : '–'}
        </dd>
      </div>
    </dl>
  );
}

function PlayIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M4 2.5v11l9-5.5z" fill="currentColor" />
    </svg>
  );
}

function PauseIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z" fill="currentColor" />
    </svg>
  );
}
