// The "Check your understanding" section at the end of a concept page: the mc questions whose concept is that page
// (content/quizzes), one after another, then any short-answer and essay questions on the page's concept, folded
// under "Think it through". Renders nothing for a page without check questions.
import { checkQuestions, QUIZZES } from '../../state/quizzes';
import { type OnAnswer, QuizView } from './QuizView';

export const CHECK_SECTION_ID = 'check-your-understanding';

/** Whether a concept page has check questions (so the page can list the section in its outline). */
export const hasCheckQuestions = (conceptId: string): boolean => checkQuestions(conceptId).length > 0;

export function CheckYourUnderstanding({ conceptId, onAnswer }: { conceptId: string; onAnswer?: OnAnswer }) {
  const questions = checkQuestions(conceptId);
  const open = QUIZZES.flatMap((q) => q.questions).filter((q) => q.type !== 'mc' && q.concept === conceptId);
  if (!questions.length) return null;
  return (
    <section className="concept-section quiz-check-section" aria-labelledby={CHECK_SECTION_ID}>
      <h2 id={CHECK_SECTION_ID} className="md-heading">
        Check your understanding
        <a className="md-anchor" href={`#${CHECK_SECTION_ID}`} aria-label="Link to “Check your understanding”">
          #
        </a>
      </h2>
      <p className="quiz-check-intro">
        {questions.length === 1 ? 'One question' : `${questions.length} questions`} on this page. Pick an answer and
        check it: every option comes with an explanation.
      </p>
      <div className="quiz-list">
        {questions.map((q, i) => (
          <QuizView
            key={q.id}
            question={q}
            onAnswer={onAnswer}
            label={questions.length > 1 ? `Question ${i + 1} of ${questions.length}` : undefined}
          />
        ))}
      </div>
      {open.length > 0 && (
        <details className="quiz-more">
          <summary>
            Think it through: {open.length === 1 ? 'a written question' : `${open.length} written questions`}
          </summary>
          <div className="quiz-list">
            {open.map((q) => (
              <QuizView key={q.id} question={q} onAnswer={onAnswer} />
            ))}
          </div>
        </details>
      )}
    </section>
  );
}
