// Messages above the Lab: what was wrong with the link it opened (then the defaults are shown), a divergence with
// one-click fixes, a lost GPU device, an engine error, early stopping. Each is role=alert or status so a screen
// reader hears it; none blocks the page.
import type { ExperimentSpec, NormalizedSpec, RunId } from '../../../../engine/index';
import { type Side, useExperiment } from '../../../state/experiment';
import { useRuns } from '../../../state/runs';
import { divergenceAdvice } from '../divergence';

interface Props {
  runs: { id: RunId; label: string }[];
  spec: NormalizedSpec;
  earlyStop: string | null;
  onFix: (side: Side, next: ExperimentSpec) => void;
}

export function Banners({ runs, earlyStop, onFix }: Props) {
  const problems = useExperiment((s) => s.linkProblems);
  const fellBack = useExperiment((s) => s.linkFellBack);
  const editError = useExperiment((s) => s.editError);
  return (
    <div className="lab-banners">
      {problems.length > 0 && (
        <div className="lab-banner is-warn" role="alert" data-testid="link-problems">
          <div>
            <strong>This link could not be opened as it was.</strong>
            <ul>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
            {fellBack && <p>The default experiment is shown instead.</p>}
          </div>
          <button
            type="button"
            className="lab-icon-button"
            aria-label="Dismiss"
            onClick={() => useExperiment.setState({ linkProblems: [] })}
          >
            ×
          </button>
        </div>
      )}
      {editError && (
        <div className="lab-banner is-warn" role="alert">
          <div>That change was not applied: {editError}</div>
          <button
            type="button"
            className="lab-icon-button"
            aria-label="Dismiss"
            onClick={() => useExperiment.setState({ editError: null })}
          >
            ×
          </button>
        </div>
      )}
      {runs.map((r) => (
        <RunBanners key={r.id} id={r.id} label={runs.length > 1 ? r.label : null} onFix={onFix} />
      ))}
      {earlyStop && (
        <div className="lab-banner is-info" role="status">
          {earlyStop}
        </div>
      )}
    </div>
  );
}

function RunBanners({ id, label, onFix }: { id: RunId; label: string | null; onFix: Props['onFix'] }) {
  const run = useRuns((s) => s.runs[id]);
  const side: Side = id === 'B' ? 'b' : 'a';
  const spec = useExperiment((s) => s[side]);
  if (!run || !spec) return null;
  const tag = label ? `Run ${label}: ` : '';
  return (
    <>
      {run.diverged && (
        <div className="lab-banner is-danger" role="alert" data-testid={`diverged-${id}`}>
          {(() => {
            const advice = divergenceAdvice(run.diverged, spec);
            return (
              <div>
                <p>
                  <strong>{tag}</strong>
                  {advice.text}
                </p>
                <div className="lab-row">
                  {advice.fixes.map((f) => (
                    <button
                      key={f.label}
                      type="button"
                      className="lab-button"
                      onClick={() => onFix(side, f.apply(spec))}
                    >
                      {f.label}
                    </button>
                  ))}
                </div>
              </div>
            );
          })()}
        </div>
      )}
      {run.deviceLost && (
        <div className="lab-banner is-info" role="status">
          {tag}
          {run.deviceLost.message}
        </div>
      )}
      {run.error && (
        <div className="lab-banner is-danger" role="alert">
          {tag}
          {run.error}
        </div>
      )}
    </>
  );
}
