// A practice problem open in the Lab: the statement, the goal and what must stay fixed, hints on request, and
// "Grade my experiment", which trains the learner's current configuration in the worker with the problem's fixed
// seed (progress bar, cancel) and says whether it reached the goal. After an attempt the reference solution can be
// read and loaded.
import { useMemo, useState } from 'react';
import type { ExperimentSpec, GradeResult, NormalizedSpec, SpecSection } from '../../../../engine/index';
import { MarkdownBlocks } from '../../../app/markdown/Markdown';
import { parseMarkdown } from '../../../app/markdown/markdown';
import { goalText, type Problem } from '../../../state/problems';
import { cancelGrading, type GradeProgress, gradeAttempt } from '../controller';

interface Props {
  problem: Problem;
  /** The problem's starting experiment (normalized), the reference for its constraints. */
  start: NormalizedSpec;
  /** What the learner has in run A now. */
  current: NormalizedSpec;
  onLoadSolution: (spec: ExperimentSpec) => void;
  onGraded?: (result: GradeResult) => void;
}

const SECTION_WORDS: Record<string, string> = {
  data: 'the data',
  model: 'the network',
  loss: 'the loss',
  optimizer: 'the optimizer',
  schedule: 'the schedule',
  regularization: 'the regularisation',
  training: 'the batch size and seed',
};

export function ProblemPanel({ problem, start, current, onLoadSolution, onGraded }: Props) {
  const [hints, setHints] = useState(0);
  const [progress, setProgress] = useState<GradeProgress | null>(null);
  const [result, setResult] = useState<GradeResult | null>(null);
  const [attempted, setAttempted] = useState(false);
  const [showSolution, setShowSolution] = useState(false);
  const goal = problem.goal;
  const statement = useMemo(() => parseMarkdown(problem.statement), [problem.statement]);
  const solution = useMemo(() => parseMarkdown(problem.solutionText), [problem.solutionText]);
  const grading = progress !== null;
  const grade = async () => {
    if (!goal) return;
    setResult(null);
    setProgress({ step: 0, total: goal.steps });
    const r = await gradeAttempt(start, current, goal, problem.fixed as SpecSection[], setProgress);
    setProgress(null);
    setResult(r);
    setAttempted(true);
    onGraded?.(r);
  };
  return (
    <section className="lab-panel lab-problem" aria-labelledby="lab-problem-h">
      <div className="lab-panel-head">
        <h2 id="lab-problem-h">Practice problem</h2>
      </div>
      <h3 className="lab-problem-title">{problem.title}</h3>
      <div className="lab-problem-text">
        <MarkdownBlocks blocks={statement} />
      </div>
      {goal && (
        <p className="lab-problem-goal">
          <strong>Goal:</strong> {goalText(goal)}
          {problem.fixed.length > 0 && (
            <>, keeping {problem.fixed.map((f) => SECTION_WORDS[f] ?? f).join(', ')} as they are</>
          )}
          .
        </p>
      )}
      {hints > 0 && (
        <ol className="lab-problem-hints" aria-label="Hints">
          {problem.hints.slice(0, hints).map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ol>
      )}
      <div className="lab-row">
        {goal &&
          (grading ? (
            <button type="button" className="lab-button" onClick={cancelGrading}>
              Cancel grading
            </button>
          ) : (
            <button type="button" className="lab-button is-primary" onClick={() => void grade()} data-testid="grade">
              Grade my experiment
            </button>
          ))}
        {hints < problem.hints.length && (
          <button type="button" className="lab-button" onClick={() => setHints(hints + 1)}>
            {hints === 0 ? 'Show a hint' : 'Another hint'}
          </button>
        )}
        {attempted && problem.solution && (
          <button
            type="button"
            className="lab-button"
            aria-expanded={showSolution}
            onClick={() => setShowSolution(!showSolution)}
          >
            {showSolution ? 'Hide the solution' : 'Show the reference solution'}
          </button>
        )}
      </div>
      {progress && (
        <div className="lab-download">
          <label htmlFor="grade-progress">
            Training your experiment: step {progress.step.toLocaleString('en-US')} of{' '}
            {progress.total.toLocaleString('en-US')}
          </label>
          <progress id="grade-progress" max={progress.total} value={progress.step} />
        </div>
      )}
      {result && (
        <div className={`lab-banner ${result.pass ? 'is-info' : 'is-warn'}`} role="status" data-testid="grade-result">
          <div>
            <strong>{result.pass ? 'Solved.' : 'Not yet.'}</strong> {result.message}
            {!result.pass && hints < problem.hints.length && ' A hint may help.'}
          </div>
        </div>
      )}
      {showSolution && problem.solution && (
        <div className="lab-problem-solution">
          <MarkdownBlocks blocks={solution} />
          <button
            type="button"
            className="lab-button"
            onClick={() => problem.solution && onLoadSolution(problem.solution)}
          >
            Load the reference solution into the Lab
          </button>
        </div>
      )}
    </section>
  );
}
