// Pieces both pathway pages share: starting and resuming a pathway, and the progress bar.
import { navigate } from '../../app/router';
import type { Pathway } from '../../state/curriculum';
import { setActivePathway, setCurrentStep } from '../../state/progress';

export function startPathway(pathway: Pathway): void {
  setActivePathway(pathway.id);
  navigate(`/pathways/${pathway.id}`);
}

export function continuePathway(pathway: Pathway, step: number): void {
  setActivePathway(pathway.id);
  setCurrentStep(pathway.id, step);
  navigate(`/concepts/${pathway.steps[step].concept}`);
}

export function ProgressBar({ done, total }: { done: number; total: number }) {
  return (
    <div className="progress-bar-row">
      <div
        className="progress-bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-label="Steps completed"
      >
        <span style={{ width: `${total ? (100 * done) / total : 0}%` }} />
      </div>
      <span className="progress-bar-label">
        {done} of {total} done
      </span>
    </div>
  );
}
