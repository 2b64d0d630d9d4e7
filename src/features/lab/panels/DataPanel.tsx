// Data: which dataset, how many points, how noisy, how much is held out, which input features the network sees,
// and the class a click on the plot adds. MNIST has no knobs beyond its name (24,000 training and 6,000 validation
// digits, packed at build time).
import type { ExperimentSpec, NormalizedSpec } from '../../../../engine/index';
import { DATASETS, type DatasetId, datasetDef, FEATURES, LIMITS_2D, NOISE_PER_PERCENT } from '../catalog';
import { Segmented, Slider } from '../controls/Form';
import { withData, withDataset, withFeatures } from '../edits';

interface Props {
  spec: NormalizedSpec;
  edit: (next: ExperimentSpec) => void;
  addClass: number | null;
  setAddClass: (c: number | null) => void;
}

type DataFields = {
  points: number;
  noise: number;
  valFraction: number;
  classes: number;
  seed: number;
  features?: string[];
  extra?: number[];
};

export function DataPanel({ spec, edit, addClass, setAddClass }: Props) {
  const d = (spec.data ?? {}) as unknown as DataFields & { kind: DatasetId };
  const def = datasetDef(d.kind);
  const features = d.features ?? ['x1', 'x2'];
  const extra = d.extra?.length ? d.extra.length / 3 : 0;
  const toggleFeature = (id: string, on: boolean) => {
    const next = FEATURES.map((f) => f.id).filter((f) => (f === id ? on : features.includes(f)));
    if (next.length > 0) edit(withFeatures(spec, next));
  };
  return (
    <section className="lab-panel" aria-labelledby="lab-data-h">
      <h2 id="lab-data-h">Data</h2>
      <fieldset className="lab-fieldset">
        <legend className="lab-field-label">Dataset</legend>
        <div className="lab-datasets">
          {DATASETS.map((x) => (
            <label key={x.id} className={x.id === d.kind ? 'lab-chip is-on' : 'lab-chip'}>
              <input
                type="radio"
                name="lab-dataset"
                value={x.id}
                checked={x.id === d.kind}
                onChange={() => x.id !== d.kind && edit(withDataset(spec, x.id))}
              />
              {x.label}
            </label>
          ))}
        </div>
      </fieldset>
      {def.task === 'mnist' ? (
        <p className="lab-note">
          30,000 handwritten digits (28×28 grey pixels): 24,000 to train on, 6,000 held out for validation (from MNIST’s
          test set).
        </p>
      ) : (
        <>
          {def.classes && def.classes.length > 1 && (
            <Segmented
              label="Classes"
              value={String(d.classes)}
              options={def.classes.map((c) => ({ id: String(c), label: String(c) }))}
              onChange={(v) => edit(withData(spec, { classes: Number(v), extra: [] }))}
            />
          )}
          <Slider
            label="Noise"
            value={Math.round(d.noise / NOISE_PER_PERCENT)}
            min={0}
            max={50}
            step={1}
            format={(v) => `${v}%`}
            onChange={(v) => edit(withData(spec, { noise: Number((v * NOISE_PER_PERCENT).toPrecision(4)) }))}
          />
          <Slider
            label="Points"
            value={d.points}
            min={LIMITS_2D.points[0]}
            max={LIMITS_2D.points[1]}
            step={50}
            onChange={(v) => edit(withData(spec, { points: v }))}
          />
          <Slider
            label="Held out for validation"
            value={Math.round(d.valFraction * 100)}
            min={10}
            max={90}
            step={5}
            format={(v) => `${v}%`}
            onChange={(v) => edit(withData(spec, { valFraction: v / 100 }))}
          />
          <fieldset className="lab-fieldset">
            <legend className="lab-field-label">Input features</legend>
            <div className="lab-features">
              {FEATURES.map((f) => (
                <label key={f.id} className={features.includes(f.id) ? 'lab-chip is-on' : 'lab-chip'}>
                  <input
                    type="checkbox"
                    checked={features.includes(f.id)}
                    onChange={(e) => toggleFeature(f.id, e.currentTarget.checked)}
                    aria-label={`Feature ${f.label}`}
                  />
                  {f.label}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="lab-row">
            <button
              type="button"
              className="lab-button"
              onClick={() => edit(withData(spec, { seed: (d.seed + 1) % 0xffffffff, extra: [] }))}
            >
              New sample
            </button>
            {def.task === 'classify2d' && (
              <AddPoints classes={d.classes} addClass={addClass} setAddClass={setAddClass} />
            )}
          </div>
          {extra > 0 && (
            <p className="lab-note">
              {extra} point{extra === 1 ? '' : 's'} added by you.{' '}
              <button type="button" className="lab-link" onClick={() => edit(withData(spec, { extra: [] }))}>
                Remove them
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}

function AddPoints({
  classes,
  addClass,
  setAddClass,
}: {
  classes: number;
  addClass: number | null;
  setAddClass: (c: number | null) => void;
}) {
  const opts = [
    { id: 'off', label: 'Off' },
    ...Array.from({ length: classes }, (_, i) => ({ id: String(i), label: `Class ${i + 1}` })),
  ];
  return (
    <Segmented
      label="Click the plot to add"
      value={addClass === null ? 'off' : String(addClass)}
      options={opts}
      onChange={(v) => setAddClass(v === 'off' ? null : Number(v))}
    />
  );
}
