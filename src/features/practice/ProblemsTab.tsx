// The Problems tab: every practice problem by type, with its goal and the learner's best result so far. Warm-up,
// Skill-builder and Debug/Fix problems open in the Lab, which grades the learner's fix by training it; Challenge
// problems are design questions answered here and checked against their rubric.
import { useMemo, useState } from 'react';
import { MarkdownBlocks } from '../../app/markdown/Markdown';
import { parseMarkdown } from '../../app/markdown/markdown';
import { Link } from '../../app/router';
import { goalText, PROBLEM_TYPES, PROBLEMS, type Problem } from '../../state/problems';
import { recordProblemResult, useProblemResults } from '../../state/reviews';

export function ProblemsTab() {
  const results = useProblemResults();
  const best = useMemo(() => {
    const m = new Map<string, { passed: boolean; tries: number }>();
    for (const r of results) {
      const prev = m.get(r.problemId) ?? { passed: false, tries: 0 };
      m.set(r.problemId, { passed: prev.passed || r.passed, tries: prev.tries + 1 });
    }
    return m;
  }, [results]);
  const solved = PROBLEMS.filter((p) => best.get(p.id)?.passed).length;
  return (
    <section className="practice-problems" aria-labelledby="problems-title">
      <div className="practice-problems-head">
        <h2 id="problems-title">Problems</h2>
        <p className="muted">
          {solved} of {PROBLEMS.length} solved. Each one opens a broken or unfinished experiment in the Lab; the grader
          trains your fix with a fixed seed and checks the goal.
        </p>
      </div>
      {PROBLEM_TYPES.map((t) => {
        const list = PROBLEMS.filter((p) => p.type === t.id);
        if (list.length === 0) return null;
        return (
          <section key={t.id} className="practice-problem-group" aria-labelledby={`ptype-${t.id}`}>
            <h3 id={`ptype-${t.id}`}>{t.label}</h3>
            <ul className="practice-problem-list">
              {list.map((p) =>
                p.type === 'challenge' ? (
                  <ChallengeItem key={p.id} problem={p} done={best.get(p.id)?.passed ?? false} />
                ) : (
                  <li key={p.id} className="practice-problem" data-problem={p.id}>
                    <div>
                      <h4>
                        <Link to={`/lab?problem=${p.id}`}>{p.title}</Link>
                      </h4>
                      <p>{p.summary}</p>
                      {p.goal && <p className="muted">Goal: {goalText(p.goal)}</p>}
                    </div>
                    <Status result={best.get(p.id)} />
                  </li>
                ),
              )}
            </ul>
          </section>
        );
      })}
    </section>
  );
}

function Status({ result }: { result: { passed: boolean; tries: number } | undefined }) {
  if (!result) return <span className="practice-problem-status">Not tried</span>;
  return (
    <span className={`practice-problem-status ${result.passed ? 'is-solved' : 'is-tried'}`}>
      {result.passed ? '✓ Solved' : `${result.tries} attempt${result.tries === 1 ? '' : 's'}`}
    </span>
  );
}

/** A design question: the learner writes an answer, then checks it against the rubric and marks what it covered. */
function ChallengeItem({ problem, done }: { problem: Problem; done: boolean }) {
  const [open, setOpen] = useState(false);
  const [answer, setAnswer] = useState('');
  const [revealed, setRevealed] = useState(false);
  const [covered, setCovered] = useState<boolean[]>(() => problem.rubric.map(() => false));
  const score = covered.filter(Boolean).length;
  return (
    <li className="practice-problem is-challenge" data-problem={problem.id}>
      <div>
        <h4>
          <button type="button" className="practice-link" aria-expanded={open} onClick={() => setOpen(!open)}>
            {problem.title}
          </button>
        </h4>
        <p>{problem.summary}</p>
        {open && (
          <div className="practice-challenge">
            <MarkdownBlocks blocks={parseMarkdown(problem.statement)} />
            <label htmlFor={`ans-${problem.id}`}>Your design</label>
            <textarea
              id={`ans-${problem.id}`}
              rows={6}
              value={answer}
              onChange={(e) => setAnswer(e.currentTarget.value)}
            />
            {!revealed ? (
              <button
                type="button"
                className="button button-small"
                disabled={answer.trim().length < 20}
                onClick={() => setRevealed(true)}
              >
                Check against the rubric
              </button>
            ) : (
              <fieldset>
                <legend>Which of these does your design cover?</legend>
                {problem.rubric.map((r, i) => (
                  <label key={r} className="practice-rubric-item">
                    <input
                      type="checkbox"
                      checked={covered[i]}
                      onChange={(e) => {
                        const on = e.currentTarget.checked;
                        setCovered((c) => c.map((x, j) => (j === i ? on : x)));
                      }}
                    />
                    {r}
                  </label>
                ))}
                <button
                  type="button"
                  className="button button-small"
                  onClick={() =>
                    recordProblemResult(problem.id, {
                      passed: score >= Math.ceil(problem.rubric.length * 0.75),
                      metric: 'rubric',
                      value: score / Math.max(1, problem.rubric.length),
                      note: `${score} of ${problem.rubric.length} rubric points`,
                    })
                  }
                >
                  Record {score} of {problem.rubric.length}
                </button>
              </fieldset>
            )}
          </div>
        )}
      </div>
      <span className={`practice-problem-status ${done ? 'is-solved' : ''}`}>{done ? '✓ Done' : 'Design'}</span>
    </li>
  );
}
