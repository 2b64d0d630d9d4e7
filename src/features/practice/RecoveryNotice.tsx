// When saved progress could not all be read: says so, keeps the database as it is, and offers the last export made in
// this browser and a download of everything that could be read (with the unreadable records as found).
import { useState } from 'react';
import { exportReadable, lastExport, useProgress } from '../../state/progress';

function download(text: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function RecoveryNotice() {
  const problems = useProgress((s) => s.loadProblems);
  const storage = useProgress((s) => s.storage);
  const [last] = useState(lastExport);
  if (!problems.length && storage.state !== 'memory-only') return null;
  const day = new Date().toISOString().slice(0, 10);
  return (
    <section className="recovery-notice" role="alert" aria-labelledby="recovery-title" data-testid="recovery-notice">
      <h2 id="recovery-title">
        {problems.length ? 'Some saved progress could not be read' : 'Progress is not being saved'}
      </h2>
      {problems.length ? (
        <>
          <p>
            {problems.length} saved record{problems.length === 1 ? ' is' : 's are'} damaged ({problems[0]}
            {problems.length > 1 ? ', …' : ''}). Nothing has been deleted: the records stay in this browser as they are,
            and everything else works.
          </p>
          <div className="recovery-actions">
            <button
              type="button"
              className="button"
              onClick={() => download(exportReadable(), `gradient-atlas-recovered-${day}.json`)}
            >
              Download what could be read
            </button>
            {last && (
              <button
                type="button"
                className="button"
                onClick={() => download(last.text, `gradient-atlas-progress-${last.at.slice(0, 10)}.json`)}
              >
                Download your last export ({new Date(last.at).toLocaleDateString()})
              </button>
            )}
          </div>
          <p className="recovery-hint">To restore, import one of these files with “Replace” on the Pathways page.</p>
        </>
      ) : (
        storage.state === 'memory-only' && <p>{storage.problem.message}</p>
      )}
    </section>
  );
}
