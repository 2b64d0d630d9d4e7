// The Lab: edit an experiment (data, network, training), train it live in the engine worker, and watch it learn.
// The URL holds the whole experiment (specs and view), so a copied link reopens it exactly; compare mode trains A
// and B side by side from the same initial weights. State: src/state/experiment.ts (what is edited) and
// src/state/runs.ts (what the runs report); the worker traffic: ./controller.ts.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type ExperimentSpec, type NormalizedSpec, validateSpec } from '../../../engine/index';
import { navigate, useLocation } from '../../app/router';
import { editSpec, type Side, setView, useExperiment } from '../../state/experiment';
import { presetById } from '../../state/presets';
import { problemById } from '../../state/problems';
import { recordProblemResult } from '../../state/reviews';
import { useRuns } from '../../state/runs';
import { datasetDef, taskOf } from './catalog';
import {
  applySpec,
  compileRun,
  disposeRun,
  inspectTick,
  pause,
  play,
  RUN_A,
  RUN_B,
  rewind,
  stepRuns,
} from './controller';
import { asRaw, type ComparisonId, comparisonOf, withData, withTraining } from './edits';
import { type PanelId, parseLabUrl, writeLabUrl } from './labUrl';
import { Banners } from './panels/Banners';
import { BoundaryPanel } from './panels/BoundaryPanel';
import { ComparePanel } from './panels/ComparePanel';
import { CurvesPanel } from './panels/CurvesPanel';
import { DataPanel } from './panels/DataPanel';
import { InsidePanel } from './panels/InsidePanel';
import { LabToolbar } from './panels/LabToolbar';
import { LandscapePanel } from './panels/LandscapePanel';
import { MnistPanel } from './panels/MnistPanel';
import { NetworkDiagramPanel } from './panels/NetworkDiagramPanel';
import { NetworkPanel } from './panels/NetworkPanel';
import { ProblemPanel } from './panels/ProblemPanel';
import { RunBar } from './panels/RunBar';
import { TrainingPanel } from './panels/TrainingPanel';
import { useEarlyStopping } from './useEarlyStopping';
import './lab.css';

const APPLY_DELAY_MS = 120;
const URL_DELAY_MS = 300;

/** A problem's starting experiment as the URL parser wants it (its preset's spec, or its own). */
function problemStartSpec(id: string): unknown | undefined {
  const p = problemById(id);
  if (!p) return undefined;
  return p.startSpec ?? (p.start ? presetById(p.start)?.spec : undefined);
}

export default function LabPage() {
  const search = useLocation((s) => s.search);
  const onLab = useLocation((s) => s.path === '/lab');
  const { a, b, editing, view, preset, problem } = useExperiment();
  const [addClass, setAddClass] = useState<number | null>(null);
  const [patience, setPatience] = useState(0);
  const written = useRef<string | null>(null);

  // Open the experiment the URL describes: on arrival, and whenever the learner navigates to another Lab URL (a
  // preset from the menu, back/forward). Our own URL writes are recognised and ignored.
  useEffect(() => {
    // Leaving the Lab changes the search too: only a Lab URL describes an experiment.
    if (!onLab || written.current === search) return;
    const { state, problems, fellBack } = parseLabUrl(search, presetById, problemStartSpec);
    useExperiment.setState({
      a: state.a,
      b: state.b,
      editing: 'a',
      view: { hidden: state.view.hidden, present: state.view.present, logScale: state.view.logScale },
      preset: state.preset,
      problem: state.problem ?? null,
      linkProblems: problems,
      linkFellBack: fellBack,
      editError: null,
    });
    void compileRun(RUN_A, state.a).then(() => (state.b ? compileRun(RUN_B, state.b, RUN_A) : disposeRun(RUN_B)));
    written.current = null;
  }, [search, onLab]);

  // Edits reach the runs shortly after they are made (a dragged slider sends its resting value, not every pixel).
  useEffect(() => {
    if (!a) return;
    const t = setTimeout(() => void applySpec(RUN_A, a), APPLY_DELAY_MS);
    return () => clearTimeout(t);
  }, [a]);
  useEffect(() => {
    if (!b) return;
    const t = setTimeout(() => void applySpec(RUN_B, b), APPLY_DELAY_MS);
    return () => clearTimeout(t);
  }, [b]);

  // The URL follows the experiment (replace, not push: a slider drag is not forty history entries).
  useEffect(() => {
    if (!a) return;
    const t = setTimeout(() => {
      const next = writeLabUrl({
        a,
        b,
        preset,
        problem,
        view: { hidden: view.hidden as PanelId[], present: view.present, logScale: view.logScale },
      });
      // The learner may have left the Lab in the meantime: never pull them back to it.
      if (window.location.pathname !== '/lab' || next === window.location.search) return;
      written.current = next;
      navigate(`/lab${next}`, { replace: true });
    }, URL_DELAY_MS);
    return () => clearTimeout(t);
  }, [a, b, preset, problem, view]);

  // Stop the runs when the learner leaves the Lab.
  useEffect(
    () => () => {
      void pause([RUN_A, RUN_B]);
    },
    [],
  );

  const runs = useMemo(
    () =>
      b
        ? [
            { id: RUN_A, label: 'A' },
            { id: RUN_B, label: 'B' },
          ]
        : [{ id: RUN_A, label: 'A' }],
    [b],
  );
  const runIds = runs.map((r) => r.id);
  const statuses = useRuns((s) => runIds.map((id) => s.runs[id]?.status ?? 'compiling').join());
  const parameters = useRuns((s) => s.runs[editing === 'b' ? RUN_B : RUN_A]?.compiled?.parameters ?? null);
  const playing = statuses.split(',').some((st) => st === 'training');
  const busy = statuses.split(',').some((st) => st === 'compiling');

  const shown = (id: PanelId) => !view.hidden.includes(id);
  const task = a ? taskOf(a) : 'classify2d';

  // Inspections for the visible panels, a few times a second at most (the worker pushes everything else).
  const hiddenKey = view.hidden.join();
  const runKey = runIds.join();
  useEffect(() => {
    const hidden = new Set(hiddenKey.split(','));
    const on = (id: PanelId) => !hidden.has(id);
    const twoD = task !== 'mnist';
    const needs = {
      activations: on('activations'),
      weightStats: on('weights'),
      weights: (!twoD && on('mnist')) || (twoD && on('network')),
      neurons: twoD && on('network'),
      predictions: !twoD && on('mnist'),
    };
    const ids = runKey.split(',');
    const timer = setInterval(() => {
      for (const id of ids) inspectTick(id, needs);
    }, 250);
    return () => clearInterval(timer);
  }, [hiddenKey, task, runKey]);

  const stopped = useEarlyStopping(runIds, patience, () => void pause(runIds));

  const edit = useCallback((next: ExperimentSpec) => editSpec(useExperiment.getState().editing, next), []);
  const editBoth = (f: (s: NormalizedSpec) => ExperimentSpec) => {
    const st = useExperiment.getState();
    if (st.a) editSpec('a', f(st.a));
    if (st.b) editSpec('b', f(st.b));
  };

  if (!a) return <div className="page lab-page" />;
  const problemDef = problem ? problemById(problem) : undefined;
  const problemStartRaw = problemDef ? problemStartSpec(problemDef.id) : undefined;
  const startChecked = problemStartRaw === undefined ? null : validateSpec(problemStartRaw);
  const problemStart = startChecked?.ok ? startChecked.value : null;
  const current = (editing === 'b' && b) || a;
  const d = a.data;
  const classes = d && 'classes' in d ? (d as { classes: number }).classes : 2;
  const regression = datasetDef(d?.kind).task === 'regress2d';

  const addPoint =
    task === 'classify2d' && addClass !== null
      ? (x: number, y: number) =>
          editBoth((s) => {
            const extra = [...((s.data as unknown as { extra?: number[] })?.extra ?? [])];
            if (extra.length >= 600) return asRaw(s);
            extra.push(Number(x.toFixed(3)), Number(y.toFixed(3)), addClass);
            return withData(s, { extra });
          })
      : null;

  const setCompare = (id: ComparisonId | null) => {
    if (id === null) {
      useExperiment.setState({ b: null, editing: 'a' });
      disposeRun(RUN_B);
      return;
    }
    const nb = editSpec('b', comparisonOf(a, id));
    if (!nb) return;
    // A controlled comparison: both runs start again from the same initial weights and the same data order.
    rewind([RUN_A]);
    void compileRun(RUN_B, nb, RUN_A);
  };

  return (
    <div className={`page lab-page${view.present ? ' is-presenting' : ''}${playing ? ' is-training' : ''}`}>
      <LabToolbar preset={preset} compare={b !== null} onCompare={setCompare} present={view.present} />
      <Banners
        runs={runs}
        spec={current}
        earlyStop={stopped}
        onFix={(s: Side, next) => {
          const spec = editSpec(s, next);
          if (spec) void applySpec(s === 'a' ? RUN_A : RUN_B, spec).then(() => play([s === 'a' ? RUN_A : RUN_B]));
        }}
      />
      <div className="lab-layout">
        {!view.present && shown('controls') && (
          <aside className="lab-controls" aria-label="Experiment settings">
            {b && <ComparePanel editing={editing} setEditing={(e) => useExperiment.setState({ editing: e })} />}
            <DataPanel spec={current} edit={edit} addClass={addClass} setAddClass={setAddClass} />
            <NetworkPanel spec={current} edit={edit} parameters={parameters} />
            <TrainingPanel
              spec={current}
              edit={edit}
              run={editing === 'b' ? RUN_B : RUN_A}
              patience={patience}
              setPatience={setPatience}
            />
          </aside>
        )}
        <div className="lab-main">
          {problemDef && problemStart && (
            <ProblemPanel
              key={problemDef.id}
              problem={problemDef}
              start={problemStart}
              current={a}
              onLoadSolution={(spec) => editSpec('a', spec)}
              onGraded={(r) =>
                recordProblemResult(problemDef.id, {
                  passed: r.pass,
                  metric: r.goal.metric,
                  value: r.metric ?? undefined,
                  steps: r.steps,
                  note: r.message,
                })
              }
            />
          )}
          <RunBar
            runs={runs}
            playing={playing}
            busy={busy}
            onPlay={() => play(runIds)}
            onPause={() => void pause(runIds)}
            onStep={() => stepRuns(runIds, 1)}
            onRewind={() => rewind(runIds)}
            onRewindRun={(id) => rewind([id])}
            onReset={() => {
              const seed = (a.training.seed + 1) % 100;
              editBoth((s) => withTraining(s, { seed }));
            }}
          />
          {task === 'mnist' ? (
            shown('mnist') && <MnistPanel runs={runs} cnn={a.model.input.length === 3} />
          ) : (
            <div className="lab-figures">
              {shown('boundary') && (
                <BoundaryPanel
                  runs={runs}
                  regression={regression}
                  classes={classes}
                  onAddPoint={addPoint}
                  size={view.present ? 460 : 340}
                />
              )}
              {shown('network') && !b && <NetworkDiagramPanel run={RUN_A} spec={a} />}
            </div>
          )}
          <CurvesPanel
            runs={runs}
            logScale={view.logScale}
            setLogScale={(logScale) => setView({ logScale })}
            classification={!regression}
            show={{ curves: shown('curves'), lr: shown('lr') }}
          />
          <InsidePanel
            runs={runs}
            show={{ gradients: shown('gradients'), activations: shown('activations'), weights: shown('weights') }}
          />
          <LandscapePanel runs={runs} images={task === 'mnist'} />
        </div>
      </div>
    </div>
  );
}
