// The Lab's header: the preset menu and its "what to notice", compare mode, which panels show, presenting mode
// (controls hidden, larger type, for a projector) and "Copy link" (the URL already holds the whole experiment).
import { useState } from 'react';
import { Link, navigate } from '../../../app/router';
import { setView, useExperiment } from '../../../state/experiment';
import { PRESETS, presetById } from '../../../state/presets';
import { AddToDemo } from '../../present';
import { COMPARISONS, type ComparisonId } from '../edits';
import { ExportButton } from '../export/ExportDialog';
import { PANELS } from '../labUrl';

interface Props {
  preset: string | null;
  compare: boolean;
  onCompare: (id: ComparisonId | null) => void;
  present: boolean;
}

export function LabToolbar({ preset, compare, onCompare, present }: Props) {
  const p = preset ? presetById(preset) : undefined;
  const hidden = useExperiment((s) => s.view.hidden);
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied('done');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied('idle'), 2500);
  };
  return (
    <header className="lab-toolbar">
      <div className="lab-title">
        <p className="eyebrow">Lab</p>
        <h1>{p ? p.title : 'Train a network, live'}</h1>
      </div>
      <div className="lab-tools">
        <label className="lab-tool">
          <span>Preset</span>
          <select
            aria-label="Preset"
            value={preset ?? ''}
            onChange={(e) => navigate(e.currentTarget.value ? `/lab?preset=${e.currentTarget.value}` : '/lab')}
          >
            <option value="">Your own experiment</option>
            {PRESETS.map((x) => (
              <option key={x.id} value={x.id}>
                {x.title}
              </option>
            ))}
          </select>
        </label>
        <label className="lab-tool">
          <span>Compare</span>
          <select
            aria-label="Compare mode"
            value={compare ? 'on' : ''}
            onChange={(e) => onCompare(e.currentTarget.value === '' ? null : (e.currentTarget.value as ComparisonId))}
          >
            <option value="">Off: one run</option>
            {compare && <option value="on">On (A vs B)</option>}
            {COMPARISONS.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <details className="lab-tool lab-panels-menu">
          <summary>Panels</summary>
          <fieldset className="lab-menu">
            <legend className="visually-hidden">Panels to show</legend>
            {PANELS.map((x) => (
              <label key={x.id} className="lab-inline-check">
                <input
                  type="checkbox"
                  checked={!hidden.includes(x.id)}
                  onChange={(e) =>
                    setView({ hidden: e.currentTarget.checked ? hidden.filter((h) => h !== x.id) : [...hidden, x.id] })
                  }
                />
                {x.label}
              </label>
            ))}
          </fieldset>
        </details>
        <Link to="/lab/race" className="lab-button">
          Optimizer race
        </Link>
        <AddToDemo
          panels={PANELS.map((x) => x.id).filter((id) => !hidden.includes(id))}
          labels={p?.compare ? { a: p.compare.labelA, b: p.compare.labelB } : undefined}
          suggestion={p?.title}
        />
        <ExportButton />
        <button
          type="button"
          className="lab-button"
          aria-pressed={present}
          onClick={() => setView({ present: !present })}
        >
          {present ? 'Stop presenting' : 'Present'}
        </button>
        <button type="button" className="lab-button is-primary" onClick={() => void copy()} data-testid="copy-link">
          {copied === 'done' ? 'Link copied' : copied === 'failed' ? 'Copy from the address bar' : 'Copy link'}
        </button>
        <span className="visually-hidden" role="status">
          {copied === 'done' ? 'Link copied to the clipboard' : ''}
        </span>
      </div>
      {p && !present && (
        <section className="lab-notice" aria-label="What to notice">
          <h2>What to notice</h2>
          <p>{p.notice}</p>
          {p.compare && (
            <p className="lab-muted">
              A: {p.compare.labelA} · B: {p.compare.labelB}
            </p>
          )}
        </section>
      )}
    </header>
  );
}
