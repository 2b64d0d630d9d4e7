// The optimizer race: seven torch.optim optimizers, run by the engine's own update kernels, on an analytic 2-D
// surface from a start point the learner drags. The race is recomputed on every change (a few thousand updates of
// two numbers: a few milliseconds, measured and shown), then animated step by step; with reduced motion the final
// paths show at once.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  HYPER_FIELDS,
  type HyperKey,
  RACE_LIMITS,
  RACERS,
  type RacerId,
  runRace,
  SURFACES,
  type Surface,
  type SurfaceId,
  surfaceById,
} from '../../../engine/index';
import { PageHeader } from '../../app/PageHeader';
import { fmtInt } from '../../plots/format';
import { LineChart, type LineSeries } from '../../plots/LineChart';
import { useReducedMotion } from '../../plots/theme';
import { ContourPlot, type PlottedTrace } from './ContourPlot';
import { contourField } from './contour';
import { LOOKS } from './palette';
import { RacerControls, type RacerSetting } from './RacerControls';
import { RaceSummary } from './RaceSummary';
import './race.css';

type Settings = Record<RacerId, RacerSetting>;

function defaultSettings(s: Surface, enabled?: Settings): Settings {
  const out = {} as Settings;
  for (const r of RACERS) {
    const values: RacerSetting['values'] = { lr: String(s.lr[r.id]) };
    for (const [k, v] of Object.entries(r.defaults)) values[k as HyperKey] = String(v);
    out[r.id] = { enabled: enabled?.[r.id].enabled ?? true, values };
  }
  return out;
}

/** Seeds are u32 words of the counter RNG; the field keeps to the positive int32 range. */
const MAX_SEED = 2 ** 31 - 1;
/** A whole race plays in five seconds. */
const DURATION_MS = 5000;
/** While playing, the charts move in this many jumps (the contour plot moves every frame). */
const CHART_UPDATES = 25;

/** The link's surface, start, steps and seed (`?surface=beale&x=1&y=1.75&steps=500&seed=0`); bad values fall back
 * to the surface's defaults. */
function fromUrl(): { surface: Surface; start: [number, number]; steps: string; seed: number } {
  const q = new URLSearchParams(typeof window === 'undefined' ? '' : window.location.search);
  const surface = surfaceById(q.get('surface') ?? '') ?? SURFACES[0];
  const num = (k: string) => (q.get(k) === null ? Number.NaN : Number(q.get(k)));
  const inside = (v: number, [a, b]: [number, number]) => Number.isFinite(v) && v >= a && v <= b;
  const x = num('x');
  const y = num('y');
  const start: [number, number] =
    inside(x, surface.view.x) && inside(y, surface.view.y) ? [x, y] : [surface.start[0], surface.start[1]];
  const steps = num('steps');
  const seed = num('seed');
  return {
    surface,
    start,
    steps: Number.isInteger(steps) && steps >= 1 && steps <= RACE_LIMITS.steps ? String(steps) : String(surface.steps),
    seed: Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED ? seed : 0,
  };
}

export default function RacePage() {
  const [initial] = useState(fromUrl);
  const [surfaceId, setSurfaceId] = useState<SurfaceId>(initial.surface.id);
  const surface = surfaceById(surfaceId) ?? SURFACES[0];
  const [start, setStart] = useState<[number, number]>(initial.start);
  const [stepsText, setStepsText] = useState(initial.steps);
  const [seed, setSeed] = useState(initial.seed);
  const [settings, setSettings] = useState<Settings>(() => defaultSettings(surface));
  const [frame, setFrame] = useState(Number(initial.steps));
  const [playing, setPlaying] = useState(false);
  const reduced = useReducedMotion();

  const chooseSurface = (id: SurfaceId) => {
    const s = surfaceById(id) ?? SURFACES[0];
    setSurfaceId(s.id);
    setStart(s.start);
    setStepsText(String(s.steps));
    setSettings((prev) => defaultSettings(s, prev));
    setFrame(s.steps);
    setPlaying(false);
  };

  const steps = Number(stepsText);
  const stepsOk = Number.isInteger(steps) && steps >= 1 && steps <= RACE_LIMITS.steps;
  const field = useMemo(() => contourField(surface), [surface]);

  const race = useMemo(() => {
    const entries = RACERS.filter((r) => settings[r.id].enabled).map((r) => {
      const v = settings[r.id].values;
      const num = (k: HyperKey) => (v[k] === undefined || v[k] === '' ? Number.NaN : Number(v[k]));
      const hypers: Partial<Record<HyperKey, number>> = {};
      for (const k of Object.keys(r.defaults) as HyperKey[]) hypers[k] = num(k);
      return { id: r.id, optimizer: r.toSpec(hypers, num('lr')) };
    });
    const t0 = performance.now();
    const outcome = runRace({ surface, start, steps: stepsOk ? steps : 1, seed, entries });
    return { outcome, ms: performance.now() - t0, count: entries.length };
  }, [surface, start, steps, stepsOk, seed, settings]);

  // The view is a link: the address keeps the surface, start, steps and seed (replaced in place, no history entry
  // per drag, and without the router's scroll to the top).
  useEffect(() => {
    const q = new URLSearchParams({ surface: surfaceId, x: String(start[0]), y: String(start[1]), steps: stepsText });
    if (surface.noise > 0) q.set('seed', String(seed));
    window.history.replaceState(null, '', `${window.location.pathname}?${q}`);
  }, [surfaceId, start, stepsText, seed, surface.noise]);

  const errors = useMemo(() => {
    const out: Partial<Record<RacerId, string>> = {};
    if (!race.outcome.ok)
      for (const e of race.outcome.errors) {
        const id = e.path.split('.')[0] as RacerId;
        const msg = e.message
          .replace(/^\w+: optimizer\./, '')
          .replace(/^betas\[0\]/, 'beta 1')
          .replace(/^betas\[1\]/, 'beta 2');
        out[id] = out[id] ? `${out[id]}; ${msg}` : msg;
      }
    return out;
  }, [race]);
  const onSetting = useCallback(
    (id: RacerId, next: RacerSetting) => setSettings((prev) => ({ ...prev, [id]: next })),
    [],
  );

  const result = race.outcome.ok ? race.outcome.value : null;
  const plotted: PlottedTrace[] = useMemo(
    () =>
      result
        ? result.traces.map((trace) => {
            const id = trace.id as RacerId;
            return { trace, label: RACERS.find((r) => r.id === id)?.label ?? id, look: LOOKS[id] };
          })
        : [],
    [result],
  );
  const total = stepsOk ? steps : 0;
  const shown = Math.min(frame, total);

  // The animation is timed, not counted: a whole race takes DURATION_MS whatever the frame rate, so a slow machine
  // drops frames instead of slowing down. Only the frame counter changes.
  const raf = useRef(0);
  const from = useRef(0);
  useEffect(() => {
    if (!playing) return;
    if (reduced) {
      setFrame(total);
      setPlaying(false);
      return;
    }
    let t0: number | null = null;
    const tick = (now: number) => {
      t0 ??= now;
      const next = Math.min(total, from.current + Math.floor(((now - t0) / DURATION_MS) * total));
      setFrame(next);
      if (next >= total) setPlaying(false);
      else raf.current = requestAnimationFrame(tick);
    };
    raf.current = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf.current);
  }, [playing, reduced, total]);

  const play = () => {
    from.current = shown >= total ? 0 : shown;
    if (shown >= total) setFrame(0);
    setPlaying(true);
  };

  const ramp = useMemo(() => Float64Array.from({ length: total + 1 }, (_, i) => i), [total]);
  const chunk = playing ? Math.max(1, Math.round(total / CHART_UPDATES)) : 1;
  const chartFrame = Math.floor(shown / chunk) * chunk;
  const charts = useMemo(() => {
    const series = (key: 'loss' | 'distance'): LineSeries[] =>
      plotted.map(({ trace, label, look }) => {
        const n = Math.min(chartFrame, trace.steps) + 1;
        return { id: trace.id, label, color: look.color, x: ramp.subarray(0, n), y: trace[key].subarray(0, n) };
      });
    return { loss: series('loss'), distance: series('distance') };
  }, [plotted, chartFrame, ramp]);

  return (
    <div className="page race-page">
      <PageHeader eyebrow="Lab · Optimizer race" title="Optimizer race">
        <p>
          Seven optimizers from the same start on a surface whose shape you know. Each step is the engine's own update
          code (the same kernels that train the Lab's networks, following torch.optim), fed the surface's exact
          gradient.
        </p>
      </PageHeader>

      <div className="race-toolbar">
        <label className="race-tool">
          <span>Surface</span>
          <select value={surfaceId} onChange={(e) => chooseSurface(e.currentTarget.value as SurfaceId)}>
            {SURFACES.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="race-tool race-steps">
          <span>Steps</span>
          <input
            type="number"
            min={1}
            max={RACE_LIMITS.steps}
            step={1}
            value={stepsText}
            onChange={(e) => {
              setStepsText(e.currentTarget.value);
              setFrame(Number(e.currentTarget.value) || 0);
            }}
          />
        </label>
        {surface.noise > 0 && (
          <label className="race-tool race-steps">
            <span>Noise seed</span>
            <input
              type="number"
              min={0}
              max={MAX_SEED}
              step={1}
              value={seed}
              onChange={(e) => {
                const v = Number(e.currentTarget.value);
                if (Number.isInteger(v) && v >= 0 && v <= MAX_SEED) setSeed(v);
              }}
            />
          </label>
        )}
        <div className="race-buttons">
          {playing ? (
            <button type="button" className="lab-button is-primary" onClick={() => setPlaying(false)}>
              Pause
            </button>
          ) : (
            <button type="button" className="lab-button is-primary" onClick={play} disabled={!result}>
              {reduced ? 'Show the race' : 'Play'}
            </button>
          )}
          <button
            type="button"
            className="lab-button"
            onClick={() => {
              setPlaying(false);
              setFrame(Math.min(total, shown + 1));
            }}
            disabled={!result || shown >= total}
          >
            Step
          </button>
          <button
            type="button"
            className="lab-button"
            onClick={() => {
              setPlaying(false);
              setFrame(0);
            }}
          >
            Reset
          </button>
        </div>
        <output className="race-frame" aria-live="off" data-testid="race-frame">
          Step {fmtInt(shown)} of {fmtInt(total)}
        </output>
        <button
          type="button"
          className="lab-button race-restart"
          onClick={() => {
            setStart(surface.start);
            setSettings((prev) => defaultSettings(surface, prev));
          }}
        >
          Default start and settings
        </button>
      </div>

      <p className="race-notice">
        <span className="race-formula">{surface.formula}</span> {surface.notice}
      </p>

      <div className="race-layout">
        <section className="race-figure" aria-label="Paths on the surface">
          <ContourPlot
            surface={surface}
            field={field}
            traces={plotted}
            frame={shown}
            start={start}
            onStart={(p) => {
              setStart(p);
              if (!playing) setFrame(total);
            }}
          />
          <p className="race-muted">
            Contours are spaced evenly in log(f − min); ◯ marks an optimum. {race.count} optimizers × {fmtInt(total)}{' '}
            steps computed in {race.ms.toFixed(1)} ms on this page.
          </p>
        </section>
        <section className="race-side" aria-labelledby="race-opt-h">
          <h2 id="race-opt-h">Optimizers</h2>
          <p className="race-muted">
            Learning rates are set per surface; the rest are torch.optim's defaults (
            {HYPER_FIELDS.beta1.label.toLowerCase()} 0.9, {HYPER_FIELDS.beta2.label.toLowerCase()} 0.999 …).
          </p>
          <RacerControls settings={settings} errors={errors} onChange={onSetting} />
          {!stepsOk && (
            <p className="race-error" role="alert">
              Steps must be a whole number from 1 to {fmtInt(RACE_LIMITS.steps)}.
            </p>
          )}
        </section>
      </div>

      {result && stepsOk && (
        <>
          <div className="race-charts">
            <LineChart
              label="Loss per step"
              series={charts.loss}
              xLabel="Step"
              yLabel="Loss"
              logY
              xDomain={[0, Math.max(1, total)]}
              height={220}
            />
            <LineChart
              label="Distance to the nearest optimum"
              series={charts.distance}
              xLabel="Step"
              yLabel="Distance"
              logY
              xDomain={[0, Math.max(1, total)]}
              height={220}
            />
          </div>
          <RaceSummary traces={plotted} result={result} steps={total} start={start} />
        </>
      )}
    </div>
  );
}
