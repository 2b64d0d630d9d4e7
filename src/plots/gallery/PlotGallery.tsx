// Dev-only gallery of the Lab charts at /dev/plots: every component with realistic synthetic data, animated at
// about 30 updates a second (as during training) to show they stay cheap. Not in the navigation.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ConfusionMatrix } from '../ConfusionMatrix';
import { DecisionBoundary, type PointSet } from '../DecisionBoundary';
import { Histogram } from '../Histogram';
import { HistogramOverTime, type HistogramSnapshot } from '../HistogramOverTime';
import { ImageGrid } from '../ImageGrid';
import { LineChart, type LineSeries } from '../LineChart';
import { NetworkDiagram } from '../NetworkDiagram';
import { NeuronThumbnails } from '../NeuronThumbnails';
import { SchedulePlot } from '../SchedulePlot';
import { useReducedMotion } from '../theme';
import * as S from './synthetic';
import './gallery.css';

const RANGE = 6;
const RES = 50;
const THUMB = 24;

const sizes = [2, 8, 8, 1];
const PLANE: [number, number] = [-RANGE, RANGE];
const UNIT: [number, number] = [-1, 1];
const CLASS_NAMES = ['class A', 'class B'];
const INPUT_LABELS = ['x₁', 'x₂'];
const OUTPUT_LABELS = ['ŷ'];
const LAYER_NAMES = ['input', 'hidden 1', 'hidden 2', 'output'];
const bigSizes = [784, 256, 128, 10];

function withPred(p: { x: Float32Array; y: Float32Array; label: Uint8Array }, t: number): PointSet {
  return { ...p, predicted: Uint8Array.from(p.x, (px, i) => (S.ringProbability(px, p.y[i], t) > 0.5 ? 1 : 0)) };
}

/** A frame counter advancing ~30 times a second while running; also the measured update rate. */
function useTicker(running: boolean): { frame: number; rate: number } {
  const [frame, setFrame] = useState(0);
  const [rate, setRate] = useState(0);
  useEffect(() => {
    if (!running) return;
    let raf = 0;
    let last = 0;
    let count = 0;
    let since = performance.now();
    const tick = (now: number) => {
      raf = requestAnimationFrame(tick);
      if (now - last < 31) return;
      last = now;
      count++;
      setFrame((f) => f + 1);
      if (now - since > 1000) {
        setRate(Math.round((count * 1000) / (now - since)));
        count = 0;
        since = now;
      }
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [running]);
  return { frame, rate };
}

function Card({
  title,
  note,
  children,
  wide,
}: {
  title: string;
  note?: string;
  children: React.ReactNode;
  wide?: boolean;
}) {
  return (
    <section className={`pg-card${wide ? ' wide' : ''}`}>
      <h2>{title}</h2>
      {note && <p className="pg-note">{note}</p>}
      {children}
    </section>
  );
}

export default function PlotGallery() {
  const reduced = useReducedMotion();
  const [running, setRunning] = useState(!reduced && !new URLSearchParams(window.location.search).has('still'));
  const { frame, rate } = useTicker(running);
  // Progress through a "run": 0 → 1 over ~40 s, then holding; the static screenshots use ?still (t = 0.8).
  const t = running || frame > 0 ? Math.min(1, 0.15 + frame / 1200) : 0.8;

  // Loss: 100k points, revealed progressively.
  const loss = useMemo(() => S.lossCurves(), []);
  const shownSteps = Math.max(2, Math.round(t * S.STEPS));
  const lossSeries = useMemo<LineSeries[]>(() => {
    const n = shownSteps;
    return [
      {
        id: 'a-train',
        label: 'A train',
        color: 'var(--class-a)',
        x: loss.x.subarray(0, n),
        y: loss.trainA.subarray(0, n),
      },
      {
        id: 'a-val',
        label: 'A validation',
        color: 'var(--class-a)',
        dashed: true,
        x: loss.x.subarray(0, n),
        y: loss.valA.subarray(0, n),
      },
      {
        id: 'b-train',
        label: 'B train (lr 0.3)',
        color: 'var(--class-b)',
        x: loss.x.subarray(0, n),
        y: loss.trainB.subarray(0, n),
      },
      {
        id: 'b-val',
        label: 'B validation',
        color: 'var(--class-b)',
        dashed: true,
        x: loss.x.subarray(0, n),
        y: loss.valB.subarray(0, n),
      },
    ];
  }, [loss, shownSteps]);
  const diverged = shownSteps > 61_000;
  const markers = useMemo(() => (diverged ? [{ x: 61_000, label: 'B diverged at step 61,000' }] : []), [diverged]);

  const lr = useMemo(() => S.warmupCosine(5000, 0.01), []);
  const lrSeries = useMemo<LineSeries[]>(() => {
    const x = new Float64Array(lr.length).map((_, i) => i);
    return [{ id: 'lr', label: 'learning rate', color: 'var(--accent)', x, y: lr }];
  }, [lr]);

  const grads = useMemo(() => S.gradNorms(12, 3000), []);
  const gradSteps = Math.max(2, Math.round(t * 3000));
  const gradSeries = useMemo<LineSeries[]>(
    () =>
      grads.ys.map((y, l) => ({
        id: `g${l}`,
        label: `layer ${l + 1}`,
        x: grads.x.subarray(0, gradSteps),
        y: y.subarray(0, gradSteps),
      })),
    [grads, gradSteps],
  );

  // Decision boundaries.
  const trainPts = useMemo(() => S.circles(400, 3), []);
  const valPts = useMemo(() => S.circles(100, 5), []);
  const [added, setAdded] = useState<{ x: number[]; y: number[]; label: number[] }>({ x: [], y: [], label: [] });
  const addPoint = useCallback(
    (x: number, y: number, { shiftKey }: { shiftKey: boolean }) =>
      setAdded((a) => ({ x: [...a.x, x], y: [...a.y, y], label: [...a.label, shiftKey ? 1 : 0] })),
    [],
  );
  const grid = useMemo(() => S.boundaryGrid(RES, RANGE, t, 2), [t]);
  const train = useMemo(() => {
    const base = withPred(trainPts, t);
    if (!added.x.length) return base;
    return {
      x: Float32Array.from([...Array.from(base.x), ...added.x]),
      y: Float32Array.from([...Array.from(base.y), ...added.y]),
      label: Uint8Array.from([...Array.from(base.label), ...added.label]),
      predicted: Uint8Array.from([...Array.from(base.predicted ?? []), ...added.label]),
    };
  }, [trainPts, added, t]);
  const val = useMemo(() => withPred(valPts, t), [valPts, t]);
  const blobGrid = useMemo(() => S.blobGrid(RES, RANGE, 5), []);
  const blobPts = useMemo(() => S.blobs(250, 5, 9), []);
  const regGrid = useMemo(() => S.regressionGrid(RES, RANGE, t * 3), [t]);
  const regPts = useMemo(() => {
    const p = S.circles(150, 13);
    return { x: p.x, y: p.y, label: Float32Array.from(p.x, (px, i) => Math.sin(px * 0.6) * Math.cos(p.y[i] * 0.5)) };
  }, []);

  // Neurons.
  const h1 = useMemo(() => S.neuronMaps(8, THUMB, RANGE, t * 3, 21), [t]);
  const h2 = useMemo(() => S.neuronMaps(8, THUMB, RANGE, t * 2, 22), [t]);
  const out = useMemo(() => [S.boundaryGrid(THUMB, RANGE, t, 1).map((p) => 2 * p - 1)], [t]);
  const inputs = useMemo(
    () =>
      S.neuronMaps(2, THUMB, RANGE, 0, 1).map((_, i) => {
        const a = new Float32Array(THUMB * THUMB);
        for (let r = 0; r < THUMB; r++)
          for (let c = 0; c < THUMB; c++) a[r * THUMB + c] = ((i === 0 ? c : r) / (THUMB - 1)) * 2 - 1;
        return a;
      }),
    [],
  );
  const weights = useMemo(() => S.randomWeights(sizes, 4, t * 6), [t]);
  const bigWeights = useMemo(() => S.randomWeights(bigSizes, 5), []);

  // Histograms over time: a snapshot every 10 frames.
  const snapCount = Math.max(1, Math.round(t * 120));
  const reluSnaps = useMemo<HistogramSnapshot[]>(
    () => Array.from({ length: snapCount }, (_, i) => S.reluSnapshot(i * 50, i / 120, 100)),
    [snapCount],
  );
  const preSnaps = useMemo<HistogramSnapshot[]>(
    () => Array.from({ length: snapCount }, (_, i) => S.normalSnapshot(i * 50, i / 120, 200)),
    [snapCount],
  );
  const weightHist = useMemo(() => S.normalCounts(8192, 60, 0.08 + 0.05 * t, 31), [t]);

  const confusion = useMemo(() => S.mnistConfusion(17), []);
  const digitLabels = useMemo(() => Array.from({ length: 10 }, (_, i) => String(i)), []);
  const digits = useMemo(() => {
    const truth = [7, 2, 1, 0, 4, 9, 5, 3, 8, 6];
    const pred = [1, 2, 7, 0, 9, 9, 3, 3, 8, 6];
    const conf = [0.62, 0.97, 0.55, 0.99, 0.71, 0.93, 0.48, 0.9, 0.88, 0.95];
    return S.digitImages(truth, 3).map((data, i) => ({
      data,
      caption: `true ${truth[i]}, predicted ${pred[i]} (${Math.round(conf[i] * 100)}%)`,
      tone: truth[i] === pred[i] ? ('ok' as const) : ('bad' as const),
    }));
  }, []);
  const filterImgs = useMemo(() => S.filters(12, 8).map((data, i) => ({ data, caption: `unit ${i + 1}` })), []);

  const scheduleStep = Math.round(t * 4999);
  const oneCycle = useMemo(() => {
    const n = 5000;
    return Float32Array.from({ length: n }, (_, i) => {
      const p = i / n;
      return p < 0.3
        ? 0.0004 + (0.004 - 0.0004) * (p / 0.3)
        : 0.004 * (0.5 + 0.5 * Math.cos((Math.PI * (p - 0.3)) / 0.7)) + 1e-6;
    });
  }, []);

  const frameRef = useRef<HTMLDivElement>(null);

  return (
    <div className="page pg" ref={frameRef}>
      <header className="pg-head">
        <div>
          <p className="eyebrow">Dev</p>
          <h1>Plot gallery</h1>
          <p className="muted">
            The Lab’s charts on synthetic data, updating about 30 times a second as they would during training.
          </p>
        </div>
        <div className="pg-controls">
          <button type="button" className="plot-chip" aria-pressed={running} onClick={() => setRunning((r) => !r)}>
            {running ? 'Pause' : 'Play'}
          </button>
          <span className="pg-rate" aria-live="off">
            {running ? `${rate || '…'} updates/s` : 'paused'}
          </span>
        </div>
      </header>

      <div className="pg-grid">
        <Card
          title="LineChart · loss"
          note="4 series × 100,000 points, downsampled per pixel; hover or focus + arrow keys."
          wide
        >
          <LineChart
            label="Loss"
            series={lossSeries}
            xLabel="step"
            yLabel="cross-entropy loss"
            markers={markers}
            height={260}
          />
        </Card>
        <Card title="LineChart · gradient norms (log y)" note="12 layers coloured by depth.">
          <LineChart
            label="Gradient norm per layer"
            series={gradSeries}
            xLabel="step"
            yLabel="‖∇W‖₂"
            logY
            palette="depth"
            height={240}
          />
        </Card>
        <Card title="LineChart · learning rate">
          <LineChart
            label="Learning rate"
            series={lrSeries}
            xLabel="step"
            yLabel="learning rate"
            legend={false}
            height={180}
          />
          <SchedulePlot values={oneCycle} step={scheduleStep} label="One-cycle schedule" />
        </Card>

        <Card
          title="DecisionBoundary · 2 classes"
          note="Click, or focus and use arrows + Enter, to add a point (Shift for class B). Misclassified points ringed."
        >
          <DecisionBoundary
            grid={grid}
            res={RES}
            outputs={2}
            xRange={PLANE}
            yRange={PLANE}
            train={train}
            validation={val}
            markMisclassified
            step={Math.round(t * 2000)}
            classNames={CLASS_NAMES}
            onAddPoint={addPoint}
          />
        </Card>
        <Card title="DecisionBoundary · 5 classes">
          <DecisionBoundary
            label="Decision boundary, five classes"
            grid={blobGrid}
            res={RES}
            outputs={5}
            xRange={PLANE}
            yRange={PLANE}
            train={blobPts}
            markMisclassified
            size={320}
          />
        </Card>
        <Card title="DecisionBoundary · regression">
          <DecisionBoundary
            label="Regression output"
            kind="regression"
            grid={regGrid}
            res={RES}
            outputs={1}
            xRange={PLANE}
            yRange={PLANE}
            valueRange={UNIT}
            train={regPts}
            size={320}
          />
        </Card>

        <Card title="NetworkDiagram · 2-8-8-1 with thumbnails" wide>
          <NetworkDiagram
            label="Network, 2-8-8-1 tanh"
            layerSizes={sizes}
            weights={weights}
            inputLabels={INPUT_LABELS}
            outputLabels={OUTPUT_LABELS}
            layerNames={LAYER_NAMES}
            thumbnails={[inputs, h1, h2, out]}
            thumbnailRes={THUMB}
          />
        </Card>
        <Card title="NeuronThumbnails">
          <div className="pg-stack">
            <NeuronThumbnails title="Hidden 1 · 8 tanh" res={THUMB} neurons={h1} />
            <NeuronThumbnails title="Hidden 2 · 8 tanh" res={THUMB} neurons={h2} size={36} />
          </div>
        </Card>
        <Card title="NetworkDiagram · capped (MNIST MLP)">
          <NetworkDiagram label="Network, 784-256-128-10" layerSizes={bigSizes} weights={bigWeights} maxNodes={10} />
        </Card>

        <Card title="HistogramOverTime">
          <div className="pg-stack">
            <HistogramOverTime title="Hidden 1 · ReLU activations" snapshots={reluSnaps} valueLabel="activation" />
            <HistogramOverTime title="Hidden 1 · pre-activations" snapshots={preSnaps} valueLabel="pre-activation" />
          </div>
        </Card>
        <Card title="Histogram · weights">
          <Histogram
            label="Layer 1 weights"
            counts={weightHist.counts}
            min={weightHist.min}
            max={weightHist.max}
            xLabel="weight"
          />
        </Card>
        <Card title="ConfusionMatrix · MNIST">
          <ConfusionMatrix counts={confusion} labels={digitLabels} title="Confusion matrix, test set" />
        </Card>

        <Card title="ImageGrid · predictions" wide>
          <ImageGrid label="Test digits with predictions" images={digits} width={28} height={28} scale={2} />
        </Card>
        <Card title="ImageGrid · first-layer filters (signed)" wide>
          <ImageGrid label="First-layer weights" images={filterImgs} width={28} height={28} mode="signed" scale={2} />
        </Card>
      </div>
    </div>
  );
}
