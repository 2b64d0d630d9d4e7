// The Quizzes tab: every quiz (multiple choice graded at once with an explanation per option; short answers
// self-graded against a model answer and rubric; essays with a rubric and a model outline), with the learner's
// score so far. Answers are kept with the rest of the progress.
import { useMemo, useState } from 'react';
import { QUIZZES, type Quiz } from '../../state/quizzes';
import { recordQuizAnswer, useQuizAnswers } from '../../state/reviews';
import { QuizView } from '../quiz';

export function QuizzesTab() {
  const answers = useQuizAnswers();
  const right = useMemo(() => new Set(answers.filter((a) => a.correct).map((a) => a.questionId)), [answers]);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section className="practice-quizzes" aria-labelledby="quizzes-title">
      <div className="practice-problems-head">
        <h2 id="quizzes-title">Quizzes</h2>
        <p className="muted">
          {QUIZZES.length} quizzes on mechanics and trade-offs. Multiple-choice questions grade themselves; written
          answers you check against a model answer.
        </p>
      </div>
      <ul className="practice-problem-list">
        {QUIZZES.map((q) => (
          <QuizItem
            key={q.quiz}
            quiz={q}
            right={right}
            open={open === q.quiz}
            toggle={() => setOpen(open === q.quiz ? null : q.quiz)}
          />
        ))}
      </ul>
    </section>
  );
}

function QuizItem({
  quiz,
  right,
  open,
  toggle,
}: {
  quiz: Quiz;
  right: Set<string>;
  open: boolean;
  toggle: () => void;
}) {
  const mc = quiz.questions.filter((x) => x.type === 'mc');
  const done = mc.filter((x) => right.has(x.id)).length;
  return (
    <li className="practice-problem practice-quiz" data-quiz={quiz.quiz}>
      <div>
        <h4>
          <button type="button" className="practice-link" aria-expanded={open} onClick={toggle}>
            {quiz.title}
          </button>
        </h4>
        <p>
          {quiz.questions.length} question{quiz.questions.length === 1 ? '' : 's'}
          {mc.length > 0 && ` · ${done} of ${mc.length} multiple-choice answered right`}
        </p>
        {open && (
          <ol className="practice-quiz-questions">
            {quiz.questions.map((question, i) => (
              <li key={question.id}>
                <QuizView
                  question={question}
                  label={`Question ${i + 1}`}
                  headingLevel={4}
                  onAnswer={recordQuizAnswer}
                />
              </li>
            ))}
          </ol>
        )}
      </div>
      <span className={`practice-problem-status ${mc.length > 0 && done === mc.length ? 'is-solved' : ''}`}>
        {mc.length > 0 && done === mc.length ? '✓ All right' : `${done}/${mc.length}`}
      </span>
    </li>
  );
}
