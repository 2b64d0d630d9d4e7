// MNIST views per run: the confusion matrix on the validation digits (after each evaluation), the digits it gets
// wrong with what it predicted, and what the first layer learned (a dense unit's 784 weights as a 28x28 image, or
// the conv filters), in a signed palette.
import { useMemo } from 'react';
import type { RunId } from '../../../../engine/index';
import { ConfusionMatrix } from '../../../plots/ConfusionMatrix';
import { type GridImage, ImageGrid } from '../../../plots/ImageGrid';
import { type RunView, useRuns } from '../../../state/runs';

const DIGITS = Array.from({ length: 10 }, (_, i) => String(i));
const MAX_MISTAKES = 24;
const MAX_FILTERS = 32;

export function confusionCounts(targets: ArrayLike<number>, predicted: ArrayLike<number>, k: number): Uint32Array {
  const counts = new Uint32Array(k * k);
  for (let i = 0; i < Math.min(targets.length, predicted.length); i++) {
    const t = targets[i];
    const p = predicted[i];
    if (t >= 0 && t < k && p >= 0 && p < k) counts[t * k + p]++;
  }
  return counts;
}

function RunDigits({ run, tag, cnn }: { run: RunView; tag: string; cnn: boolean }) {
  const p = run.predictions;
  const data = run.data;
  const confusion = useMemo(() => (p?.predicted ? confusionCounts(p.targets, p.predicted, 10) : null), [p]);
  const mistakes = useMemo<GridImage[]>(() => {
    if (!p?.predicted || !data) return [];
    const out: GridImage[] = [];
    for (let i = 0; i < p.count && out.length < MAX_MISTAKES; i++) {
      const want = p.targets[i];
      const got = p.predicted[i];
      if (want === got || i >= data.val.count) continue;
      const conf = p.values[i * p.outputs + got];
      out.push({
        data: data.val.x.subarray(i * 784, (i + 1) * 784),
        caption: `${want} → ${got} (${Math.round(conf * 100)}%)`,
        tone: 'bad',
      });
    }
    return out;
  }, [p, data]);
  const filters = useMemo(() => {
    const w = run.weights?.weights['0.weight'];
    if (!w) return null;
    const [out, ...rest] = w.shape;
    const size = rest.reduce((a, b) => a * b, 1);
    const side = cnn ? w.shape[w.shape.length - 1] : 28;
    if (side * side !== size && cnn) return null;
    const images: GridImage[] = [];
    for (let i = 0; i < Math.min(out, MAX_FILTERS); i++)
      images.push({ data: w.data.subarray(i * size, (i + 1) * size), caption: `${cnn ? 'filter' : 'unit'} ${i + 1}` });
    return { images, side };
  }, [run.weights, cnn]);
  const acc = confusion
    ? confusion.reduce((s, c, i) => (i % 11 === 0 ? s + c : s), 0) / Math.max(1, p?.count ?? 1)
    : null;
  return (
    <div className="lab-mnist-run">
      <div className="lab-mnist-col">
        {confusion ? (
          <>
            <ConfusionMatrix
              counts={confusion}
              labels={DIGITS}
              title={`Confusion matrix on the validation digits${tag}`}
              cell={26}
            />
            <p className="lab-muted">
              {acc !== null &&
                `${(acc * 100).toFixed(1)}% of ${p?.count.toLocaleString('en-US')} validation digits right at step ${p?.step.toLocaleString('en-US')}.`}
            </p>
          </>
        ) : (
          <p className="lab-muted">Appears after the first epoch’s validation.</p>
        )}
      </div>
      <div className="lab-mnist-col">
        <h3>Mistakes{tag}</h3>
        {mistakes.length > 0 ? (
          <ImageGrid
            label={`Misclassified validation digits${tag}: true label, then the prediction and its confidence`}
            images={mistakes}
            width={28}
            height={28}
            scale={2}
          />
        ) : (
          <p className="lab-muted">
            {confusion ? 'None. Every validation digit is right.' : 'Appear after the first epoch’s validation.'}
          </p>
        )}
      </div>
      <div className="lab-mnist-col">
        <h3>First layer{tag}</h3>
        {filters ? (
          <ImageGrid
            label={`First-layer ${cnn ? 'filters' : 'unit weights'} as images${tag}`}
            images={filters.images}
            width={filters.side}
            height={filters.side}
            mode="signed"
            scale={cnn ? 10 : 2}
          />
        ) : (
          <p className="lab-muted">Appears once the network is built.</p>
        )}
      </div>
    </div>
  );
}

export function MnistPanel({ runs, cnn }: { runs: { id: RunId; label: string }[]; cnn: boolean }) {
  const views = useRuns((s) => s.runs);
  const download = useRuns((s) => s.download);
  return (
    <section className="lab-panel lab-mnist" aria-labelledby="lab-mnist-h">
      <h2 id="lab-mnist-h">Digits</h2>
      {download && !download.done && (
        <div className="lab-download">
          <label htmlFor="mnist-progress">
            Downloading MNIST ({(download.loaded / 1e6).toFixed(1)} of {(download.total / 1e6).toFixed(1)} MB)
          </label>
          <progress id="mnist-progress" max={download.total || 1} value={download.loaded} />
        </div>
      )}
      {runs.map((r) => {
        const v = views[r.id];
        return v ? <RunDigits key={r.id} run={v} tag={runs.length > 1 ? `, ${r.label}` : ''} cnn={cnn} /> : null;
      })}
    </section>
  );
}
