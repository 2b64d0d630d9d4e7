// The Playground-style picture of a small network: nodes per layer, links coloured by the sign of the weight and
// sized by its magnitude, each hidden node showing what it responds to over the input plane. Only for plain dense
// networks small enough to read; bigger ones get a sentence instead.
import { useMemo } from 'react';
import type { NormalizedSpec, RunId } from '../../../../engine/index';
import { NetworkDiagram } from '../../../plots/NetworkDiagram';
import { useRuns } from '../../../state/runs';
import { FEATURES } from '../catalog';
import { designOf } from '../design';

const MAX_WIDTH = 32;
const MAX_BLOCKS = 8;

/** Dense weight keys in network order ("0.weight", "3.layers.0.weight" ...), by their numeric path. */
export function denseWeightKeys(keys: string[], shapes: Record<string, number[]>): string[] {
  const order = (k: string) =>
    k
      .split('.')
      .filter((p) => /^\d+$/.test(p))
      .map(Number);
  return keys
    .filter((k) => k.endsWith('.weight') && shapes[k]?.length === 2)
    .sort((a, b) => {
      const x = order(a);
      const y = order(b);
      for (let i = 0; i < Math.max(x.length, y.length); i++)
        if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
      return 0;
    });
}

export function NetworkDiagramPanel({ run, spec }: { run: RunId; spec: NormalizedSpec }) {
  const weights = useRuns((s) => s.runs[run]?.weights ?? null);
  const neurons = useRuns((s) => s.runs[run]?.neurons ?? null);
  const design = designOf(spec.model.layers);
  const features = (spec.data as unknown as { features?: string[] })?.features ?? ['x1', 'x2'];
  const dense = design?.blocks.filter((b) => b.kind === 'dense') ?? [];
  const fits =
    design !== null && dense.length <= MAX_BLOCKS && dense.every((b) => b.kind === 'dense' && b.units <= MAX_WIDTH);
  const picture = useMemo(() => {
    if (!fits || !weights || !design) return null;
    const shapes = Object.fromEntries(Object.entries(weights.weights).map(([k, t]) => [k, t.shape]));
    const keys = denseWeightKeys(Object.keys(weights.weights), shapes);
    const mats = keys.map((k) => weights.weights[k].data);
    const sizes = [features.length, ...keys.map((k) => shapes[k][0])];
    // Thumbnails: each hidden layer's activation outputs (the grid entry after its dense, with the same width).
    const acts = (neurons?.layers ?? []).filter((l) => !/dense|batchnorm|dropout/.test(l.label));
    const res = neurons?.resolution ?? 0;
    const thumbs = sizes.map((n, li) => {
      if (li === 0 || li === sizes.length - 1) return undefined;
      const g = acts[li - 1];
      if (!g || g.units !== n) return undefined;
      return Array.from({ length: n }, (_, u) => {
        const img = new Float32Array(res * res);
        for (let r = 0; r < res * res; r++) img[r] = g.values[r * n + u];
        return img;
      });
    });
    // Short column titles: the diagram adds each layer's width, and six columns must fit a phone.
    const names = ['in', ...dense.map((b) => (b.kind === 'dense' ? b.activation.replace('_', ' ') : '')), 'out'];
    return { sizes, mats, thumbs, res, names };
  }, [fits, weights, neurons, design, features.length, dense]);
  if (!fits)
    return (
      <section className="lab-panel lab-netdiagram" aria-label="Network diagram">
        <p className="lab-muted">
          The network diagram is drawn for dense networks of up to {MAX_BLOCKS} layers of {MAX_WIDTH} units.
        </p>
      </section>
    );
  return (
    <section className="lab-panel lab-netdiagram" aria-label="Network diagram">
      {picture ? (
        <NetworkDiagram
          label={`Network diagram at step ${weights?.step ?? 0}`}
          layerSizes={picture.sizes}
          weights={picture.mats}
          inputLabels={features.map((f) => FEATURES.find((x) => x.id === f)?.label ?? f)}
          layerNames={picture.names}
          thumbnails={picture.thumbs}
          thumbnailRes={picture.res}
          maxNodes={10}
        />
      ) : (
        <p className="lab-muted">Drawing the network…</p>
      )}
    </section>
  );
}
