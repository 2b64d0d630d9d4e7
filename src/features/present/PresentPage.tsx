// Presenting a demo (/present/:id, ?step=N): one step per screen, full window (and full screen on request), large
// type, the experiment training live in the engine worker from the moment the step opens. Keys: → PageDown Space
// next, ← PageUp back (clickers send PageDown/PageUp), Home/End, P pause or resume, R replay, L laser pointer,
// F full screen, Escape leaves. Controls stay out of sight until the pointer moves or a control takes focus.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { NormalizedSpec, RunId } from '../../../engine/index';
import { MarkdownBlocks } from '../../app/markdown/Markdown';
import { parseMarkdown } from '../../app/markdown/markdown';
import { navigate, useLocation } from '../../app/router';
import type { RouteProps } from '../../app/routes';
import { useDemos } from '../../state/demos';
import { startEngine } from '../../state/engine';
import { useRuns } from '../../state/runs';
import { compileRun, disposeRun, pause, rewind, stepRuns, taskOf } from '../lab/stage';
import type { Demo, DemoStep } from './demoModel';
import { resolveDemo } from './demoModel';
import { contentDemo, demoContext, readUserDemo } from './library';
import { Stage, type StageRun } from './Stage';
import { decodeDemoLink, SHARED_ID } from './share';
import './present.css';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

type Loaded = { demo: Demo } | { problems: string[]; title: string } | null;

/** The demo a route names: a curriculum demo, one of the learner's, or the one a shared link carries. */
function useDemo(id: string): Loaded {
  const hash = useLocation((s) => s.hash);
  const user = useDemos((s) => s.demos.find((d) => d.id === id));
  const [shared, setShared] = useState<Loaded>(null);
  useEffect(() => {
    if (id !== SHARED_ID) return;
    let live = true;
    void decodeDemoLink(hash).then((r) => {
      if (!live) return;
      if (!r.ok) return setShared({ problems: [r.error], title: 'A shared demo' });
      const { demo, problems } = resolveDemo(r.value, demoContext);
      setShared(demo ? { demo } : { problems, title: 'A shared demo' });
    });
    return () => {
      live = false;
    };
  }, [id, hash]);
  return useMemo(() => {
    if (id === SHARED_ID) return shared;
    const c = contentDemo(id);
    if (c) return { demo: c };
    if (user) {
      const r = readUserDemo(user);
      return r.demo ? { demo: r.demo } : { problems: r.problems, title: user.title };
    }
    return { problems: [`There is no demo called “${id.slice(0, 60)}”.`], title: 'Demo not found' };
  }, [id, user, shared]);
}

function useWindowSize() {
  const [size, setSize] = useState(() => ({ w: window.innerWidth, h: window.innerHeight }));
  useEffect(() => {
    const on = () => setSize({ w: window.innerWidth, h: window.innerHeight });
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return size;
}

export default function PresentPage({ params }: RouteProps) {
  const loaded = useDemo(params.id ?? '');
  if (!loaded)
    return (
      <div className="present-screen" role="status">
        Opening the demo…
      </div>
    );
  if ('problems' in loaded)
    return (
      <div className="page present-problem">
        <h1>{loaded.title} cannot be presented</h1>
        <ul role="alert">
          {loaded.problems.slice(0, 8).map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
        <a
          className="button"
          href="/present"
          onClick={(e) => {
            e.preventDefault();
            navigate('/present');
          }}
        >
          Back to the demos
        </a>
      </div>
    );
  return <Deck key={loaded.demo.id} demo={loaded.demo} />;
}

function readStep(search: string, n: number): number {
  const v = Number(new URLSearchParams(search).get('step'));
  return Number.isInteger(v) && v >= 1 ? Math.min(v, n) - 1 : 0;
}

function Deck({ demo }: { demo: Demo }) {
  const search = useLocation((s) => s.search);
  const hash = useLocation((s) => s.hash);
  const path = useLocation((s) => s.path);
  const n = demo.steps.length;
  const index = readStep(search, n);
  const step = demo.steps[index];
  const go = useCallback(
    (i: number) => {
      const next = Math.max(0, Math.min(n - 1, i));
      navigate(`${path}?step=${next + 1}${hash}`, { replace: true });
    },
    [n, path, hash],
  );

  const { w, h } = useWindowSize();
  // The slide is laid out for a screen about 1100 x 780 and zoomed to the window, so a projector's 1024x768 and a
  // 1920x1080 screen show the same slide with type in proportion; small windows stack instead.
  const small = w < 760 || h < 520;
  const zoom = small ? 1 : Math.max(0.7, Math.min(w / 1100, h / 780, 2.4));

  const train = useTraining(step, index);
  const runs = useMemo<StageRun[]>(
    () =>
      train.ids.length > 1
        ? [
            { id: train.ids[0], label: `A · ${step.labels.a}` },
            { id: train.ids[1], label: `B · ${step.labels.b}` },
          ]
        : [{ id: train.ids[0], label: step.labels.a }],
    [step, train.ids],
  );
  const [laser, setLaser] = useState(false);
  const [pointer, setPointer] = useState<{ x: number; y: number } | null>(null);
  const [awake, setAwake] = useState(true);
  const [full, setFull] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const sleep = useRef<ReturnType<typeof setTimeout>>(undefined);

  const wake = useCallback(() => {
    setAwake(true);
    clearTimeout(sleep.current);
    sleep.current = setTimeout(() => setAwake(false), 2500);
  }, []);
  useEffect(() => {
    wake();
    return () => clearTimeout(sleep.current);
  }, [wake]);

  useEffect(() => {
    const on = () => setFull(document.fullscreenElement !== null);
    document.addEventListener('fullscreenchange', on);
    return () => document.removeEventListener('fullscreenchange', on);
  }, []);
  const canFullscreen = typeof document.documentElement.requestFullscreen === 'function';
  const toggleFullscreen = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    // The fallback is the window itself: the slide already fills it.
    else void root.current?.requestFullscreen?.().catch(() => undefined);
  }, []);

  // The page behind the slide must not scroll (a Space or an arrow would move it).
  useEffect(() => {
    const prev = document.documentElement.style.overflow;
    document.documentElement.style.overflow = 'hidden';
    return () => {
      document.documentElement.style.overflow = prev;
    };
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
      // A focused button keeps Space and Enter for itself.
      if (t?.tagName === 'BUTTON' && (e.key === ' ' || e.key === 'Enter')) return;
      const act: Record<string, () => void> = {
        ArrowRight: () => go(index + 1),
        PageDown: () => go(index + 1),
        ' ': () => go(index + 1),
        ArrowLeft: () => go(index - 1),
        PageUp: () => go(index - 1),
        Home: () => go(0),
        End: () => go(n - 1),
        l: () => setLaser((v) => !v),
        L: () => setLaser((v) => !v),
        p: train.toggle,
        P: train.toggle,
        r: train.replay,
        R: train.replay,
        f: toggleFullscreen,
        F: toggleFullscreen,
        Escape: () => {
          if (!document.fullscreenElement) navigate('/present');
        },
      };
      const f = act[e.key];
      if (!f) return;
      e.preventDefault();
      f();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, index, n, train.toggle, train.replay, toggleFullscreen]);

  const caption = useMemo(() => parseMarkdown(step.caption), [step.caption]);
  const boundarySize = step.panels.length === 1 ? 420 : step.panels.length === 3 ? 250 : 300;

  return (
    <div
      ref={root}
      className={`present-screen${awake ? ' is-awake' : ''}${laser ? ' has-laser' : ''}${small ? ' is-small' : ''}`}
      onPointerMove={(e) => {
        wake();
        if (laser) setPointer({ x: e.clientX, y: e.clientY });
      }}
      data-testid="present-screen"
    >
      <div className="ps-slide" style={{ zoom }}>
        <header className="ps-head">
          <div className="ps-heading">
            <p className="ps-demo">{demo.title}</p>
            <h1 className="ps-title" data-testid="present-title">
              {step.title}
            </h1>
          </div>
          <p className="ps-counter" data-testid="present-counter">
            <span className="visually-hidden">Step </span>
            {index + 1} <span className="ps-of">/ {n}</span>
          </p>
        </header>
        <div className="ps-body">
          <Stage key={index} step={step} runs={runs} boundarySize={boundarySize} />
          <aside className="ps-side" aria-label="Caption">
            <div className="ps-caption md" data-testid="present-caption">
              <MarkdownBlocks blocks={caption} />
            </div>
            {step.b && (
              <dl className="ps-legend">
                <div>
                  <dt className="ps-run ps-run-a">A</dt>
                  <dd>{step.labels.a}</dd>
                </div>
                <div>
                  <dt className="ps-run ps-run-b">B</dt>
                  <dd>{step.labels.b}</dd>
                </div>
              </dl>
            )}
            <p className="ps-engine" data-testid="present-engine-step" data-step={train.step}>
              <span className={`ps-live${train.active ? ' is-on' : ''}`} aria-hidden="true" />
              {train.error
                ? `Stopped: ${train.error}`
                : train.compiling
                  ? 'Preparing the network…'
                  : `Step ${fmt(train.step)} of ${fmt(step.train)}${train.active ? '' : train.step >= step.train ? ' · done' : ' · paused'}`}
            </p>
          </aside>
        </div>
        <div className="ps-progress" aria-hidden="true">
          <span style={{ transform: `scaleX(${(index + 1) / n})` }} />
        </div>
      </div>
      <nav className="ps-controls" aria-label="Presentation controls">
        <button type="button" onClick={() => go(index - 1)} disabled={index === 0} aria-label="Previous step">
          ←
        </button>
        <button type="button" onClick={() => go(index + 1)} disabled={index === n - 1} aria-label="Next step">
          →
        </button>
        <button
          type="button"
          onClick={train.toggle}
          aria-label={train.active ? 'Pause training (P)' : 'Train this step (P)'}
        >
          {train.active ? 'Pause' : 'Train'}
        </button>
        <button type="button" onClick={train.replay} aria-label="Replay this step from step 0 (R)">
          Replay
        </button>
        <button type="button" aria-pressed={laser} onClick={() => setLaser((v) => !v)} aria-label="Laser pointer (L)">
          Laser
        </button>
        <button
          type="button"
          onClick={toggleFullscreen}
          disabled={!canFullscreen}
          aria-label={full ? 'Leave full screen (F)' : 'Full screen (F)'}
          data-testid="present-fullscreen"
        >
          {full ? 'Exit full screen' : 'Full screen'}
        </button>
        <button type="button" onClick={() => navigate('/present')} aria-label="Leave the presentation (Escape)">
          Leave
        </button>
        <span className="ps-keys" aria-hidden="true">
          → next · ← back · P pause · R replay · L laser
        </span>
      </nav>
      {laser && pointer && (
        <span
          className="ps-laser"
          aria-hidden="true"
          style={{ left: pointer.x, top: pointer.y }}
          data-testid="present-laser"
        />
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        Step {index + 1} of {n}: {step.title}.
      </p>
    </div>
  );
}

/** Compiles the step's runs (B from A's initial weights) and trains exactly `step.train` steps live (a `step`
 * request streams its metrics like continuous training). Every step trains under run ids of its own, so nothing the
 * last step's runs still report (a final metrics batch, their disposal) can touch the new step's series or counter.
 * Pausing goes to the worker directly, not behind the run's request chain, so it stops a long step request at once. */
function useTraining(step: DemoStep, index: number) {
  const serial = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new step (index) is a new pair of runs
  const ids = useMemo<RunId[]>(() => {
    const g = ++serial.current;
    return step.b ? [`present-${g}-A`, `present-${g}-B`] : [`present-${g}-A`];
  }, [index, step]);
  const key = ids.join();
  const views = useRuns(useShallow((s) => key.split(',').map((id) => s.runs[id])));
  const stepNow = views.length ? Math.min(...views.map((v) => v?.step ?? 0)) : 0;
  const statuses = views.map((v) => v?.status ?? 'compiling');
  const active = statuses.some((s) => s === 'training' || s === 'stepping');
  const compiling = statuses.some((s) => s === 'compiling');
  const error = views.find((v) => v?.error)?.error ?? null;
  const backend = taskOf(step.a) === 'mnist' ? 'auto' : 'cpu';
  const live = useRef(true);

  useEffect(() => {
    live.current = true;
    const [a, b] = key.split(',') as RunId[];
    // B compiles once A has (it starts from A's initial weights), then both train side by side.
    const first = compileRun(a, step.a, undefined, backend);
    const both = b && step.b ? first.then(() => compileRun(b, step.b as NormalizedSpec, a, backend)) : first;
    void both.then(() => {
      if (live.current) stepRuns(b ? [a, b] : [a], step.train);
    });
    return () => {
      live.current = false;
      const list = key.split(',') as RunId[];
      void settle(list).then(() => {
        for (const id of list) disposeRun(id);
      });
    };
  }, [key, step, backend]);

  const toggle = useCallback(() => {
    const list = key.split(',') as RunId[];
    const st = list.map((id) => useRuns.getState().runs[id]);
    if (st.some((v) => v?.status === 'training' || v?.status === 'stepping')) halt(list);
    else
      for (const id of list) {
        const left = step.train - (useRuns.getState().runs[id]?.step ?? 0);
        if (left > 0) stepRuns([id], left);
      }
  }, [key, step.train]);

  const replay = useCallback(() => {
    const list = key.split(',') as RunId[];
    void settle(list).then(() => {
      if (!live.current) return;
      rewind(list);
      stepRuns(list, step.train);
    });
  }, [key, step.train]);

  return { ids, step: stepNow, active, compiling, error, toggle, replay };
}

/** The next animation frame, or a tenth of a second in a hidden tab (where frames stop). */
function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, 100);
    requestAnimationFrame(() => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** Stops the runs and waits until their last metrics have reached the store (the client delivers events once per
 * animation frame), so a fresh compile or a rewind starts from clean series, not the tail of the last run. */
async function settle(runs: RunId[]): Promise<void> {
  const existing = runs.filter((id) => useRuns.getState().runs[id]);
  if (existing.length === 0) return;
  halt(existing);
  await pause(existing);
  for (let i = 0; i < 2; i++) await nextFrame();
}

/** Stops the runs' training or stepping now (the worker ends a step request at its next chunk). */
function halt(runs: RunId[]): void {
  const c = startEngine();
  if (!c) return;
  for (const run of runs)
    if (useRuns.getState().runs[run]) void c.request({ type: 'pause', run }).catch(() => undefined);
}
