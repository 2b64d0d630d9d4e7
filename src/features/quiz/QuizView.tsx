// One quiz question, of any type. Multiple choice is graded at once: the learner picks a radio option and checks it
// (Check or Enter), then sees why their choice is right or wrong and, if it was wrong, why the right one is right;
// "Try again" clears the choice. A short answer is written first, then the model answer and its rubric are revealed
// and the learner grades themselves. An essay is written against the prompt, then the rubric and a model outline are
// revealed. Every result is announced through a role=status region. Not here: scheduling and storage; the caller
// passes onAnswer (the Practice store's recordQuizAnswer, for instance).
import { type FormEvent, type KeyboardEvent, useId, useMemo, useRef, useState } from 'react';
import { Inlines, MarkdownBlocks } from '../../app/markdown/Markdown';
import { parseInline, parseMarkdown } from '../../app/markdown/markdown';
import type { EssayQuestion, McQuestion, QuizQuestion, ShortQuestion } from '../../state/quizzes';
import './quiz.css';

/** Called once per graded attempt: mc on Check, short answers when the learner grades themselves. */
export type OnAnswer = (questionId: string, concept: string, correct: boolean) => void;

export interface QuizViewProps {
  question: QuizQuestion;
  onAnswer?: OnAnswer;
  /** A small label above the prompt, e.g. "Question 2 of 5". */
  label?: string;
  /** The heading level of the prompt (default 3). */
  headingLevel?: 2 | 3 | 4;
}

const TYPE_LABEL = { mc: 'Multiple choice', short: 'Short answer', essay: 'Essay' } as const;

export function QuizView({ question, onAnswer, label, headingLevel = 3 }: QuizViewProps) {
  const body =
    question.type === 'mc' ? (
      <McView q={question} onAnswer={onAnswer} />
    ) : question.type === 'short' ? (
      <ShortView q={question} onAnswer={onAnswer} />
    ) : (
      <EssayView q={question} />
    );
  return (
    <article className={`quiz-q quiz-${question.type}`} data-question={question.id} aria-label={label}>
      <p className="quiz-kind">
        {label && <span>{label}</span>}
        <span className="quiz-type">{TYPE_LABEL[question.type]}</span>
      </p>
      {/* The prompt is the radio group's legend for mc; for the others it heads the question. */}
      {question.type !== 'mc' && <Prompt text={question.prompt} level={headingLevel} />}
      {body}
    </article>
  );
}

function Prompt({ text, level }: { text: string; level: 2 | 3 | 4 }) {
  const H = `h${level}` as 'h3';
  return (
    <H className="quiz-prompt">
      <Inline text={text} />
    </H>
  );
}

/** Markdown + inline KaTeX, without paragraphs. */
export function Inline({ text }: { text: string }) {
  const nodes = useMemo(() => parseInline(text), [text]);
  return <Inlines nodes={nodes} />;
}

function Blocks({ text }: { text: string }) {
  const blocks = useMemo(() => parseMarkdown(text), [text]);
  return <MarkdownBlocks blocks={blocks} />;
}

// --- multiple choice ------------------------------------------------------------------------------------------------

function McView({ q, onAnswer }: { q: McQuestion; onAnswer?: OnAnswer }) {
  const id = useId();
  const [choice, setChoice] = useState<number | null>(null);
  const [checked, setChecked] = useState(false);
  const [hint, setHint] = useState('');
  const [showAll, setShowAll] = useState(false);
  const againRef = useRef<HTMLButtonElement>(null);
  const firstRef = useRef<HTMLInputElement>(null);
  const correctIndex = q.options.findIndex((o) => o.correct);
  const letter = (i: number) => String.fromCharCode(65 + i);
  const right = checked && choice === correctIndex;

  const check = (e?: FormEvent) => {
    e?.preventDefault();
    if (checked) return;
    if (choice === null) {
      setHint('Pick an option first.');
      return;
    }
    setHint('');
    setChecked(true);
    onAnswer?.(q.id, q.concept, choice === correctIndex);
    requestAnimationFrame(() => againRef.current?.focus());
  };
  const again = () => {
    setChecked(false);
    setChoice(null);
    setShowAll(false);
    requestAnimationFrame(() => firstRef.current?.focus());
  };
  // Enter on a radio option checks the answer (browsers do not submit a form from a radio button).
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.target as HTMLElement).matches('input[type="radio"]')) check(e);
  };

  return (
    <form className="quiz-form" onSubmit={check} onKeyDown={onKeyDown} noValidate>
      <fieldset className="quiz-fieldset" aria-describedby={`${id}-status`}>
        <legend className="quiz-prompt">
          <Inline text={q.prompt} />
        </legend>
        <ul className="quiz-options">
          {q.options.map((o, i) => {
            const chosen = choice === i;
            const state = !checked ? '' : o.correct ? 'is-correct' : chosen ? 'is-wrong' : 'is-other';
            const explain = checked && (chosen || o.correct || showAll);
            return (
              <li key={o.text} className={`quiz-option ${state} ${chosen ? 'is-chosen' : ''}`}>
                <label className="quiz-option-label">
                  <input
                    ref={i === 0 ? firstRef : undefined}
                    type="radio"
                    name={`${id}-option`}
                    value={i}
                    checked={chosen}
                    disabled={checked}
                    onChange={() => setChoice(i)}
                  />
                  <span className="quiz-letter" aria-hidden="true">
                    {letter(i)}
                  </span>
                  <span className="quiz-option-text">
                    <Inline text={o.text} />
                  </span>
                  {checked && (o.correct || chosen) && (
                    <span className="quiz-verdict">
                      {o.correct ? (chosen ? '✓ Your answer' : '✓ Correct answer') : '✗ Your answer'}
                    </span>
                  )}
                </label>
                {explain && (
                  <p className="quiz-explanation">
                    <Inline text={o.explanation} />
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      </fieldset>
      <div className="quiz-actions">
        {!checked ? (
          <button type="submit" className="button button-primary quiz-check">
            Check answer
          </button>
        ) : (
          <>
            <button type="button" className="button" ref={againRef} onClick={again}>
              Try again
            </button>
            <button
              type="button"
              className="quiz-link-button"
              aria-expanded={showAll}
              onClick={() => setShowAll((s) => !s)}
            >
              {showAll ? 'Hide the other explanations' : 'Explain every option'}
            </button>
          </>
        )}
        <p id={`${id}-status`} className={`quiz-status ${checked ? (right ? 'ok' : 'bad') : ''}`} role="status">
          {checked ? (right ? 'Correct!' : `Not quite. The answer is ${letter(correctIndex)}.`) : hint}
        </p>
      </div>
    </form>
  );
}

// --- short answer ---------------------------------------------------------------------------------------------------

function ShortView({ q, onAnswer }: { q: ShortQuestion; onAnswer?: OnAnswer }) {
  const id = useId();
  const [text, setText] = useState('');
  const [revealed, setRevealed] = useState(false);
  const [grade, setGrade] = useState<boolean | null>(null);
  const answerRef = useRef<HTMLElement>(null);
  const reveal = () => {
    setRevealed(true);
    requestAnimationFrame(() => answerRef.current?.focus());
  };
  const rate = (ok: boolean) => {
    setGrade(ok);
    onAnswer?.(q.id, q.concept ?? '', ok);
  };
  return (
    <div className="quiz-form">
      <label className="quiz-field" htmlFor={`${id}-answer`}>
        Your answer
      </label>
      <textarea
        id={`${id}-answer`}
        className="quiz-textarea"
        rows={5}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="Write a few sentences in your own words before you look."
      />
      {!revealed ? (
        <div className="quiz-actions">
          <button type="button" className="button button-primary" onClick={reveal}>
            Reveal the model answer
          </button>
        </div>
      ) : (
        <section className="quiz-reveal" ref={answerRef} tabIndex={-1} aria-labelledby={`${id}-model`}>
          <h4 id={`${id}-model`} className="quiz-reveal-title">
            Model answer
          </h4>
          <div className="quiz-model">
            <Blocks text={q.answer} />
          </div>
          <h4 className="quiz-reveal-title">A good answer</h4>
          <ul className="quiz-rubric">
            {q.rubric.map((r) => (
              <li key={r}>
                <Inline text={r} />
              </li>
            ))}
          </ul>
          <div className="quiz-actions">
            <span className="quiz-self">Compare with yours. How did it go?</span>
            <button
              type="button"
              className={`button quiz-grade ${grade === true ? 'is-on' : ''}`}
              aria-pressed={grade === true}
              onClick={() => rate(true)}
            >
              I got it
            </button>
            <button
              type="button"
              className={`button quiz-grade ${grade === false ? 'is-on' : ''}`}
              aria-pressed={grade === false}
              onClick={() => rate(false)}
            >
              Not yet
            </button>
          </div>
        </section>
      )}
      <p
        className={`quiz-status ${grade === true ? 'ok' : grade === false ? 'bad' : revealed ? 'quiz-sr' : ''}`}
        role="status"
      >
        {grade === true
          ? 'Marked as got it.'
          : grade === false
            ? 'Marked as not yet: worth another look at the concept page.'
            : revealed
              ? 'The model answer and rubric are shown below your answer.'
              : ''}
      </p>
    </div>
  );
}

// --- essay ----------------------------------------------------------------------------------------------------------

function EssayView({ q }: { q: EssayQuestion }) {
  const id = useId();
  const [text, setText] = useState('');
  const [revealed, setRevealed] = useState(false);
  const words = text.split(/\s+/).filter(Boolean).length;
  return (
    <div className="quiz-form">
      <label className="quiz-field" htmlFor={`${id}-essay`}>
        Your essay <span className="quiz-count">{words === 1 ? '1 word' : `${words} words`}</span>
      </label>
      <textarea
        id={`${id}-essay`}
        className="quiz-textarea quiz-essay-text"
        rows={10}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="Plan the parts first, then justify each choice."
      />
      <div className="quiz-actions">
        <button
          type="button"
          className={`button ${revealed ? '' : 'button-primary'}`}
          aria-expanded={revealed}
          aria-controls={`${id}-guide`}
          onClick={() => setRevealed((r) => !r)}
        >
          {revealed ? 'Hide the rubric and outline' : 'Show the rubric and model outline'}
        </button>
      </div>
      <div id={`${id}-guide`} className="quiz-reveal" hidden={!revealed}>
        <h4 className="quiz-reveal-title">What a strong essay does</h4>
        <ul className="quiz-rubric">
          {q.rubric.map((r) => (
            <li key={r}>
              <Inline text={r} />
            </li>
          ))}
        </ul>
        <h4 className="quiz-reveal-title">A model outline</h4>
        <ol className="quiz-outline">
          {q.outline.map((o) => (
            <li key={o}>
              <Inline text={o} />
            </li>
          ))}
        </ol>
      </div>
      <p className="quiz-status quiz-sr" role="status">
        {revealed ? 'The rubric and a model outline are shown below.' : ''}
      </p>
    </div>
  );
}
