// The learner's progress as a file: export it, import it (merged with or replacing what is here), and a plain
// sentence when the browser cannot save.
import { useId, useRef, useState } from 'react';
import type { Concept, Pathway } from '../../state/curriculum';
import { exportProgress, type ImportMode, importProgress, useProgress } from '../../state/progress';

export function StorageNotice() {
  const storage = useProgress((s) => s.storage);
  if (storage.state !== 'memory-only') return null;
  return (
    <p className="storage-notice" role="status">
      <strong>Not saved.</strong> {storage.problem.message}
    </p>
  );
}

type Message = { kind: 'ok' | 'error'; text: string } | null;

export function ProgressPanel({ pathways, concepts }: { pathways: Pathway[]; concepts: Map<string, Concept> }) {
  const [mode, setMode] = useState<ImportMode>('merge');
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const read = useProgress((s) => Object.values(s.concepts).filter((c) => c.readAt || c.doneAt).length);
  const name = useId();

  const download = () => {
    const blob = new Blob([exportProgress()], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `gradient-atlas-progress-${new Date().toISOString().slice(0, 10)}.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    setMessage({ kind: 'ok', text: 'Progress exported. Keep the file to move your progress to another browser.' });
  };

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    try {
      const text = await file.text();
      const result = await importProgress(text, {
        mode,
        known: {
          concepts: new Set(concepts.keys()),
          pathways: new Map(pathways.map((p) => [p.id, p.steps.length])),
        },
      });
      if (result.ok) {
        const what = `${result.concepts} concept${result.concepts === 1 ? '' : 's'} and ${result.pathways} pathway${result.pathways === 1 ? '' : 's'}`;
        setMessage({
          kind: 'ok',
          text: `Imported ${what} from ${file.name} (${mode === 'merge' ? 'merged with your progress' : 'replacing your progress'}).${result.warning ? ` ${result.warning}` : ''}`,
        });
      } else setMessage({ kind: 'error', text: `${file.name} was not imported, and nothing changed. ${result.error}` });
    } catch (e) {
      setMessage({ kind: 'error', text: `The file could not be read: ${(e as Error).message}` });
    } finally {
      setBusy(false);
      if (fileRef.current) fileRef.current.value = '';
    }
  };

  return (
    <section className="progress-panel" aria-labelledby={`${name}-title`}>
      <div className="progress-panel-text">
        <h2 id={`${name}-title`}>Your progress</h2>
        <p>
          {read} concept{read === 1 ? '' : 's'} read or done, saved in this browser. Move it between browsers as one
          JSON file.
        </p>
      </div>
      <div className="progress-panel-actions">
        <button type="button" className="button" onClick={download} data-testid="export-progress">
          Export progress
        </button>
        <fieldset className="import-mode">
          <legend className="visually-hidden">When importing</legend>
          <label>
            <input type="radio" name={name} checked={mode === 'merge'} onChange={() => setMode('merge')} /> Merge
          </label>
          <label>
            <input type="radio" name={name} checked={mode === 'replace'} onChange={() => setMode('replace')} /> Replace
          </label>
        </fieldset>
        <label className={`button import-button${busy ? ' busy' : ''}`}>
          Import…
          <input
            ref={fileRef}
            type="file"
            accept="application/json,.json"
            className="visually-hidden"
            data-testid="import-progress"
            onChange={(e) => onFile(e.target.files?.[0])}
          />
        </label>
      </div>
      {message && (
        <p className={`progress-message ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <StorageNotice />
    </section>
  );
}
