// A small live lab for a concept page: the page's preset (both runs, side by side, for a compare preset) training in
// the engine worker under run ids of its own, with the decision boundary, the loss curve, play/pause, rewind and the
// step counter, and a link to the full experiment in the Lab.
//
// This module is light on purpose (React, the presets and the runs store): the controller (and with it the engine
// worker) and the charts (and d3) load only when the card comes near the viewport or the learner presses play. It
// never trains by itself; it pauses at the preset's suggested steps, and it pauses and disposes its runs on unmount.
import { lazy, Suspense, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { RunId } from '../../../engine/index';
import { Link } from '../../app/router';
import { type Preset, presetById } from '../../state/presets';
import { recordMiniLabRun } from '../../state/progress';
import { MINI_LAB_RUN_STEPS } from '../../state/progressRules';
import { type RunView, useRuns } from '../../state/runs';
import { datasetDef } from './catalog';
import './minilab.css';

type Controller = typeof import('./controller');
type RunDef = { id: RunId; label: string; name: string; spec: Preset['spec'] };

// ------------------------------------------------------------------------------------------------ lazy parts

let engineLoad: Promise<{ ctl: Controller; validate: typeof import('../../../engine/index').validateSpec }> | null =
  null;

/** The controller and the spec validator, fetched once per page load (a failed fetch may be retried). */
function loadEngine() {
  engineLoad ??= Promise.all([import('./controller'), import('../../../engine/index')]).then(
    ([ctl, engine]) => ({ ctl, validate: engine.validateSpec }),
    (e) => {
      engineLoad = null;
      throw e;
    },
  );
  return engineLoad;
}

const BoundaryPanel = lazy(() => import('./panels/BoundaryPanel').then((m) => ({ default: m.BoundaryPanel })));

/** The loss curves (training smoothed as in the Lab, validation dashed), built inside the chart's own chunk. */
const LossChart = lazy(async () => {
  const { LineChart } = await import('../../plots/LineChart');
  const COLORS = [
    { train: 'var(--class-a)', val: 'var(--class-a-strong)' },
    { train: 'var(--accent-b)', val: 'var(--accent)' },
  ];
  function MiniLossChart({ runs, views, height }: { runs: RunDef[]; views: (RunView | undefined)[]; height: number }) {
    const many = runs.length > 1;
    const versions = views.map((v) => v?.version ?? -1).join();
    // biome-ignore lint/correctness/useExhaustiveDependencies: the columns grow in place; the versions say when
    const series = useMemo(
      () =>
        views.flatMap((v, i) => {
          if (!v) return [];
          const tag = many ? ` ${runs[i].label}` : '';
          const c = COLORS[i] ?? COLORS[0];
          return [
            {
              id: `train-${v.id}`,
              label: `Training loss${tag}`,
              color: c.train,
              x: v.train.step.view(),
              y: v.train.smoothLoss.view(),
            },
            {
              id: `val-${v.id}`,
              label: `Validation loss${tag}`,
              color: c.val,
              dashed: true,
              x: v.val.step.view(),
              y: v.val.loss.view(),
            },
          ];
        }),
      [versions, many],
    );
    return <LineChart label="Loss" series={series} xLabel="Step" yLabel="Loss" height={height} legend />;
  }
  return { default: MiniLossChart };
});

// ------------------------------------------------------------------------------------------------ helpers

let mounts = 0;

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtLoss = (v: number) => (Math.abs(v) >= 100 ? v.toPrecision(3) : v.toFixed(3));

/** The mean of the last `n` finite values (a steady figure to read while the curve moves). */
function tailMean(col: { view(): Float64Array }, n = 25): number {
  const v = col.view();
  let sum = 0;
  let k = 0;
  for (let i = v.length - 1; i >= 0 && k < n; i--)
    if (Number.isFinite(v[i])) {
      sum += v[i];
      k++;
    }
  return k ? sum / k : Number.NaN;
}

/** Whether a media query matches, kept current. */
function useMedia(query: string): boolean {
  const [matches, setMatches] = useState(() => typeof matchMedia === 'function' && matchMedia(query).matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia(query);
    const on = () => setMatches(mq.matches);
    on();
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, [query]);
  return matches;
}

/** The runs' views, re-read at most every `ms` (the worker reports up to 60 times a second; a card needs far less). */
function useThrottledRuns(ids: RunId[], ms: number): (RunView | undefined)[] {
  const key = ids.join();
  const read = useCallback(() => key.split(',').map((id) => useRuns.getState().runs[id]), [key]);
  const [views, setViews] = useState(read);
  useEffect(() => {
    const list = key.split(',');
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const flush = () => {
      timer = undefined;
      last = performance.now();
      setViews(read());
    };
    const unsubscribe = useRuns.subscribe((s, prev) => {
      if (timer !== undefined || list.every((id) => s.runs[id] === prev.runs[id])) return;
      timer = setTimeout(flush, Math.max(0, last + ms - performance.now()));
    });
    flush();
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [key, ms, read]);
  return views;
}

// ------------------------------------------------------------------------------------------------ the card

type Phase = 'waiting' | 'loading' | 'ready' | 'failed';

export interface MiniLabProps {
  /** A 2-D preset's id (content/presets/<id>.json). */
  presetId: string;
  /** The concept page it is on: a run of MINI_LAB_RUN_STEPS steps after play is recorded for it. */
  concept?: string;
}

export function MiniLab({ presetId, concept }: MiniLabProps) {
  const preset = presetById(presetId);
  return preset ? <MiniLabCard key={preset.id} preset={preset} concept={concept} /> : null;
}

function MiniLabCard({ preset, concept }: { preset: Preset; concept?: string }) {
  const uid = useId();
  const [base] = useState(() => `mini${++mounts}`);
  const runs = useMemo<RunDef[]>(
    () =>
      preset.compare
        ? [
            { id: `${base}-A`, label: 'A', name: preset.compare.labelA, spec: preset.spec },
            { id: `${base}-B`, label: 'B', name: preset.compare.labelB, spec: preset.compare.spec },
          ]
        : [{ id: base, label: '', name: '', spec: preset.spec }],
    [base, preset],
  );
  const ids = useMemo(() => runs.map((r) => r.id), [runs]);
  const reduced = useMedia('(prefers-reduced-motion: reduce)');
  const narrow = useMedia('(max-width: 760px)');
  const views = useThrottledRuns(ids, reduced ? 500 : 100);

  const rootRef = useRef<HTMLElement>(null);
  const ctlRef = useRef<Controller | null>(null);
  const alive = useRef(true);
  const started = useRef(false);
  /** Play was pressed before the engine was ready: train as soon as the runs are compiled. */
  const wantPlay = useRef(false);
  /** Each run pauses once it reaches its entry here (the preset's suggested length); play again to go on. */
  const stopAt = useRef(new Map<RunId, number>());
  const autoStopped = useRef(false);
  /** Runs between their pause near the target and the exact remaining steps: still busy, as far as the UI goes. */
  const landing = useRef(new Set<RunId>());
  /** Bumped by every play and pause the learner makes: a landing started before one is dropped. */
  const playGeneration = useRef(0);
  const [phase, setPhase] = useState<Phase>('waiting');
  /** Play was pressed and no run reports training yet (loading, compiling): the button already says Pause. */
  const [requested, setRequested] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  /** The preset itself is unusable (a retry would fail the same way). */
  const [fatal, setFatal] = useState(false);
  const [announce, setAnnounce] = useState('');

  const start = useCallback(() => {
    if (started.current) return;
    started.current = true;
    setPhase('loading');
    loadEngine().then(
      ({ ctl, validate }) => {
        if (!alive.current) return;
        try {
          const specs = runs.map((r) => {
            const v = validate(r.spec);
            if (!v.ok) throw new Error(`the preset is invalid: ${v.errors[0]?.message}`);
            return v.value;
          });
          ctlRef.current = ctl;
          // The CPU: these 2-D networks are too small to pay for GPU dispatches, and no measuring trial delays them.
          void ctl.compileRun(runs[0].id, specs[0], undefined, 'cpu');
          if (runs[1]) void ctl.compileRun(runs[1].id, specs[1], runs[0].id, 'cpu');
          setPhase('ready');
          if (wantPlay.current) {
            wantPlay.current = false;
            ctl.play(ids);
          }
        } catch (e) {
          setFailure(e instanceof Error ? e.message : String(e));
          setFatal(true);
          setRequested(false);
          setPhase('failed');
        }
      },
      () => {
        if (!alive.current) return;
        started.current = false;
        wantPlay.current = false;
        setRequested(false);
        setFailure('the mini-lab could not be loaded (are you offline?)');
        setPhase('failed');
      },
    );
  }, [runs, ids]);

  // Load when the card comes near the viewport (never train: that waits for play).
  useEffect(() => {
    const el = rootRef.current;
    if (!el) return;
    if (typeof IntersectionObserver === 'undefined') {
      start();
      return;
    }
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          io.disconnect();
          start();
        }
      },
      { rootMargin: '240px 0px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [start]);

  // Leaving the page (or the page leaving this preset): pause, then free the runs in the worker and the store.
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
      const ctl = ctlRef.current;
      ctlRef.current = null;
      started.current = false;
      if (!ctl) return;
      void ctl.pause(ids);
      for (const id of ids) ctl.disposeRun(id);
    };
  }, [ids]);

  // The counter shows how far the comparison has come: the step every run has reached.
  const step = views.length ? Math.min(...views.map((v) => v?.step ?? 0)) : 0;
  const ran = step >= Math.min(MINI_LAB_RUN_STEPS, preset.steps); // steps only advance after play
  useEffect(() => void (ran && concept && recordMiniLabRun(concept)), [ran, concept]);
  const statuses = views.map((v) => v?.status ?? 'compiling');
  // A landing run counts as busy until the (throttled) views show it at its target, so the UI never sees the brief
  // pause between its training and its last steps.
  const landed = (id: RunId) => (views[ids.indexOf(id)]?.step ?? 0) >= preset.steps;
  const training =
    statuses.some((s) => s === 'training' || s === 'stepping') || [...landing.current].some((id) => !landed(id));
  const compiling = phase !== 'ready' || statuses.some((s) => s === 'compiling');
  const runError = views.find((v) => v?.error)?.error ?? null;
  const error = failure ?? (runError ? `the run stopped: ${runError}` : null);
  const playing = training || (requested && !error);

  useEffect(() => {
    if (training || error) setRequested(false);
  }, [training, error]);

  // The suggested length: each run stops exactly there, once. Checked on every store update (not the throttled
  // views): shortly before the target the run pauses and steps the exact remainder, which lands on the step itself.
  useEffect(() => {
    if (phase !== 'ready') return;
    const check = (state: ReturnType<typeof useRuns.getState>) => {
      const ctl = ctlRef.current;
      if (!ctl) return;
      for (const id of ids) {
        const v = state.runs[id];
        if (!v) continue;
        const at = stopAt.current.get(id);
        if (at === undefined || v.status !== 'training') continue;
        const ahead = Math.max(10, v.stepsPerSecond * 0.5);
        if (v.step + ahead < at) continue;
        stopAt.current.delete(id);
        autoStopped.current = true;
        landing.current.add(id);
        const generation = playGeneration.current;
        void ctl.pause([id]).then((r) => {
          const reached = (r as ({ step: number } | undefined)[])[0]?.step ?? at;
          if (alive.current && generation === playGeneration.current && reached < at) ctl.stepRuns([id], at - reached);
          else landing.current.delete(id);
        });
      }
    };
    check(useRuns.getState());
    return useRuns.subscribe(check);
  }, [phase, ids]);

  // What a screen reader hears: changes of state, not every step.
  const wasTraining = useRef(false);
  useEffect(() => {
    if (training === wasTraining.current) return;
    wasTraining.current = training;
    if (training) {
      setAnnounce('Training.');
      return;
    }
    const figures = lossText(runs, views);
    if (autoStopped.current && step >= preset.steps)
      setAnnounce(`Paused at the suggested ${fmtInt(preset.steps)} steps. ${figures} Press play to keep training.`);
    else setAnnounce(`Paused at step ${fmtInt(step)}. ${figures}`);
    autoStopped.current = false;
  }, [training, step, runs, views, preset.steps]);

  const onPlay = () => {
    const ctl = ctlRef.current;
    playGeneration.current++;
    if (playing) {
      wantPlay.current = false;
      setRequested(false);
      stopAt.current.clear();
      landing.current.clear();
      if (ctl) void ctl.pause(ids);
      return;
    }
    setAnnounce('');
    setRequested(true);
    stopAt.current.clear();
    autoStopped.current = false;
    views.forEach((v, i) => {
      if ((v?.step ?? 0) < preset.steps) stopAt.current.set(ids[i], preset.steps);
    });
    if (ctl) {
      ctl.play(ids);
      return;
    }
    wantPlay.current = true;
    setFailure(null);
    if (phase === 'failed') setPhase('waiting');
    start();
  };
  const onRewind = () => {
    const ctl = ctlRef.current;
    if (!ctl) return;
    // A training run keeps training from step 0 and stops at the suggested length again (a run landing on it stops).
    playGeneration.current++;
    landing.current.clear();
    if (training) for (const id of ids) stopAt.current.set(id, preset.steps);
    ctl.rewind(ids);
    setAnnounce('Rewound to step 0: the same initial weights and the same batches follow.');
  };

  const many = runs.length > 1;
  const progress = Math.min(1, step / Math.max(1, preset.steps));
  const diverged = views.filter((v) => v?.diverged);

  return (
    <section
      ref={rootRef}
      className={`minilab${many ? ' is-compare' : ''}`}
      aria-labelledby={`${uid}-title`}
      data-testid="minilab"
      data-phase={phase}
    >
      <header className="ml-head">
        <p className="eyebrow ml-eyebrow">Try it here</p>
        <h2 id={`${uid}-title`} className="ml-title">
          {preset.title}
        </h2>
        <p className="ml-summary">{preset.summary}</p>
      </header>

      <div className="ml-toolbar">
        <button
          type="button"
          className="lab-button is-primary ml-play"
          onClick={onPlay}
          disabled={fatal}
          data-testid="minilab-play"
        >
          <span className={`ml-icon ${playing ? 'is-pause' : 'is-play'}`} aria-hidden="true" />
          {playing ? 'Pause' : 'Play'}
        </button>
        <button
          type="button"
          className="lab-button"
          onClick={onRewind}
          disabled={phase !== 'ready' || step === 0}
          aria-label="Rewind to step 0"
          data-testid="minilab-rewind"
        >
          <span className="ml-icon is-rewind" aria-hidden="true" />
          Rewind
        </button>
        <p className="ml-step" data-testid="minilab-step">
          Step <span className="ml-step-n">{fmtInt(step)}</span>
          <span className="ml-step-of"> of {fmtInt(preset.steps)}</span>
        </p>
        <p className="ml-state" aria-hidden="true">
          {training ? (
            <>
              <span className="ml-dot" /> training
            </>
          ) : compiling && phase !== 'waiting' ? (
            'preparing…'
          ) : null}
        </p>
      </div>
      <div className="ml-progress" aria-hidden="true">
        <span style={{ transform: `scaleX(${progress})` }} />
      </div>

      {error && (
        <p className="ml-alert" role="alert">
          The mini-lab stopped: {error}. The full experiment is one click away in the Lab.
        </p>
      )}
      {diverged.length > 0 && (
        <p className="ml-alert is-warn" role="status">
          {diverged
            .map(
              (v) =>
                `${many ? `Run ${runs[views.indexOf(v)].label} ` : 'The run '}diverged at step ${fmtInt(v?.diverged?.step ?? 0)}`,
            )
            .join('; ')}
          . Rewind to try again.
        </p>
      )}

      <div className="ml-figures">
        <div className="ml-boundaries">
          {phase === 'ready' ? (
            <Suspense fallback={<BoundarySkeletons runs={runs} />}>
              <BoundaryPanel
                runs={runs.map((r) => ({ id: r.id, label: many ? `${r.label} · ${r.name}` : '' }))}
                regression={datasetDef(preset.spec.data?.kind).task === 'regress2d'}
                classes={classesOf(preset.spec)}
                onAddPoint={null}
                size={narrow ? (many ? 200 : 240) : many ? 232 : 260}
              />
            </Suspense>
          ) : (
            <BoundarySkeletons runs={runs} />
          )}
        </div>
        <div className="ml-curve">
          {phase === 'ready' ? (
            <Suspense fallback={<div className="ml-skeleton ml-chart-skeleton" />}>
              <LossChart runs={runs} views={views} height={many ? 170 : 200} />
            </Suspense>
          ) : (
            <div className="ml-skeleton ml-chart-skeleton" />
          )}
          <dl className="ml-figures-text" data-testid="minilab-figures">
            {runs.map((r, i) => (
              <div key={r.id} className="ml-figure-row">
                <dt>
                  {many ? (
                    <>
                      <span className={`ml-run ml-run-${i === 0 ? 'a' : 'b'}`}>{r.label}</span> {r.name}
                    </>
                  ) : (
                    'Training'
                  )}
                </dt>
                <dd>
                  {many && views[i]?.train.loss.length ? `step ${fmtInt(views[i]?.step ?? 0)} · ` : ''}
                  {figureText(views[i])}
                </dd>
              </div>
            ))}
          </dl>
        </div>
      </div>

      <footer className="ml-foot">
        <p className="ml-foot-note">
          The full experiment: change the data, the network and the training, and look inside the layers.
        </p>
        <Link to={`/lab?preset=${encodeURIComponent(preset.id)}`} className="button ml-open">
          {/* The visible words start the accessible name (WCAG 2.5.3); the title says which experiment opens. */}
          Open in the Lab<span className="ml-sr-only">: “{preset.title}”</span> →
        </Link>
      </footer>
      <p className="ml-sr-only" role="status" aria-live="polite">
        {announce}
      </p>
    </section>
  );
}

function BoundarySkeletons({ runs }: { runs: RunDef[] }) {
  return (
    <div className="ml-skeleton-row">
      {runs.map((r) => (
        <div key={r.id} className="ml-skeleton ml-boundary-skeleton" />
      ))}
    </div>
  );
}

function classesOf(spec: Preset['spec']): number {
  const d = spec.data as { classes?: number } | undefined;
  return d?.classes ?? 2;
}

/** "loss 0.412 · accuracy 87.5%" (training, averaged over the last few batches), or what the run is doing. */
function figureText(v: RunView | undefined): string {
  if (!v || v.train.loss.length === 0) return v?.status === 'compiling' || !v ? 'not started' : 'no steps yet';
  const loss = tailMean(v.train.loss);
  const acc = tailMean(v.train.accuracy);
  const parts = [`loss ${Number.isFinite(loss) ? fmtLoss(loss) : 'not finite'}`];
  if (Number.isFinite(acc)) parts.push(`accuracy ${(acc * 100).toFixed(1)}%`);
  return parts.join(' · ');
}

function lossText(runs: RunDef[], views: (RunView | undefined)[]): string {
  return runs.map((r, i) => `${r.label ? `Run ${r.label}` : 'Training'}: ${figureText(views[i])}.`).join(' ');
}
