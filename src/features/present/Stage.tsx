// One step's figures, live: the Lab's own panels (decision boundary, curves, inside the network, digits) over the
// presentation's runs, each in a frame that the step's pointer can highlight. Panels that need inspections (weights,
// activations, the network diagram, digits) get them at the Lab's low rate.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { RunId } from '../../../engine/index';
import {
  BoundaryPanel,
  CurvesPanel,
  datasetDef,
  InsidePanel,
  inspectTick,
  MnistPanel,
  NetworkDiagramPanel,
  taskOf,
} from '../lab/stage';
import type { DemoStep } from './demoModel';
import { PRESENT_PANELS } from './library';

export interface StageRun {
  id: RunId;
  label: string;
}

const label = (id: string) => PRESENT_PANELS.find((p) => p.id === id)?.label ?? id;

/** Shrinks its content (CSS zoom) until it fits the box: a slide never scrolls. */
function useFit(outer: React.RefObject<HTMLDivElement | null>, inner: React.RefObject<HTMLDivElement | null>) {
  const [fit, setFit] = useState(1);
  useLayoutEffect(() => {
    const o = outer.current;
    const i = inner.current;
    if (!o || !i || typeof ResizeObserver === 'undefined') return;
    const measure = () => {
      // Both boxes measured on screen (through every zoom above them): the ratio is what the content must shrink by.
      const z = Number.parseFloat(i.style.zoom || '1') || 1;
      const need = i.getBoundingClientRect().height;
      const have = o.getBoundingClientRect().height;
      if (need <= 0 || have <= 0) return;
      const next = Math.max(0.5, Math.min(1, (have / need) * z * 0.99));
      if (Math.abs(next - z) > 0.01) setFit(next);
    };
    const ro = new ResizeObserver(measure);
    ro.observe(o);
    ro.observe(i);
    measure();
    return () => ro.disconnect();
  }, [outer, inner]);
  return fit;
}

export function Stage({ step, runs, boundarySize }: { step: DemoStep; runs: StageRun[]; boundarySize: number }) {
  const outer = useRef<HTMLDivElement>(null);
  const inner = useRef<HTMLDivElement>(null);
  const fit = useFit(outer, inner);
  const task = taskOf(step.a);
  const mnist = task === 'mnist';
  const regression = datasetDef(step.a.data?.kind).task === 'regress2d';
  const d = step.a.data as { classes?: number } | null;
  const classes = d?.classes ?? 2;
  const [logScale, setLogScale] = useState(false);
  const shown = new Set(step.panels);

  const runKey = runs.map((r) => r.id).join();
  const panelKey = step.panels.join();
  useEffect(() => {
    const on = new Set(panelKey.split(','));
    const needs = {
      activations: on.has('activations'),
      weightStats: on.has('weights'),
      weights: (mnist && on.has('mnist')) || (!mnist && on.has('network')),
      neurons: !mnist && on.has('network'),
      predictions: mnist && on.has('mnist'),
    };
    const ids = runKey.split(',');
    const timer = setInterval(() => {
      for (const id of ids) inspectTick(id, needs);
    }, 250);
    return () => clearInterval(timer);
  }, [runKey, panelKey, mnist]);

  const frame = (id: string, body: React.ReactNode) => {
    const pointed = step.point?.panel === id;
    return (
      <div
        key={id}
        className={`ps-panel ps-panel-${id}${pointed ? ' is-pointed' : ''}`}
        data-panel={id}
        data-testid={`present-panel-${id}`}
      >
        {pointed && (
          <p className="ps-pointer-note" data-testid="present-point">
            <span className="ps-pointer-dot" aria-hidden="true" />
            <span className="visually-hidden">Look at the {label(id)}: </span>
            {step.point?.note ?? label(id)}
          </p>
        )}
        {body}
      </div>
    );
  };

  // One frame per panel, in the step's order; the curves panel draws both "curves" and "lr" in one frame.
  const parts: React.ReactNode[] = [];
  const done = new Set<string>();
  for (const id of step.panels) {
    if (done.has(id)) continue;
    done.add(id);
    if (id === 'boundary' && !mnist)
      parts.push(
        frame(
          id,
          <BoundaryPanel
            runs={runs}
            regression={regression}
            classes={classes}
            onAddPoint={null}
            size={runs.length > 1 ? Math.round(boundarySize * 0.86) : boundarySize}
          />,
        ),
      );
    else if (id === 'mnist' && mnist)
      parts.push(frame(id, <MnistPanel runs={runs} cnn={step.a.model.input.length === 3} />));
    else if (id === 'network' && !mnist && runs.length === 1)
      parts.push(frame(id, <NetworkDiagramPanel run={runs[0].id} spec={step.a} />));
    else if (id === 'curves' || id === 'lr') {
      done.add('curves');
      done.add('lr');
      parts.push(
        frame(
          step.point?.panel === 'lr' ? 'lr' : 'curves',
          <CurvesPanel
            runs={runs}
            logScale={logScale}
            setLogScale={setLogScale}
            classification={!regression}
            show={{ curves: shown.has('curves'), lr: shown.has('lr') }}
          />,
        ),
      );
    } else if (id === 'gradients' || id === 'activations' || id === 'weights')
      parts.push(
        frame(
          id,
          <>
            <InsidePanel
              runs={runs}
              show={{ gradients: id === 'gradients', activations: id === 'activations', weights: id === 'weights' }}
            />
            {id === 'gradients' && (
              // The slide drops the per-layer legend (dozens of entries): the colour ramp says it all.
              <p className="ps-depth-key" aria-hidden="true">
                <span className="ps-depth-ramp" /> dark: first layers · light: last layers
              </p>
            )}
          </>,
        ),
      );
  }
  const wide = step.panels.includes('boundary') && !mnist && parts.length === 3;
  return (
    <div ref={outer} className="ps-figures">
      <div
        ref={inner}
        className={`ps-figures-inner${wide ? ' is-three' : ''}${runs.length > 1 ? ' is-compare' : ''}`}
        style={{ zoom: fit }}
      >
        {parts}
      </div>
    </div>
  );
}
