// One card's face: the question side, and after the reveal the answer. qa: front, then back. cloze: the text with
// this card's blank as a box (display KaTeX with \boxed{} when math), filled in on the reveal. predict: the prompt
// and one schematic loss curve per choice; picking one reveals right/wrong, the explanation, and a slot where the
// Lab can later train the experiment live.
import type { ReactNode } from 'react';
import { LOSS_SHAPE_TEXT, LossShape } from '../../plots/LossShape';
import { CardText, Inline, TexMath } from './CardText';
import type { ClozeSegment, PracticeCard } from './decks';

/** Where a "Train it live" control can be mounted for predict cards (the Lab's problem mode fills it). */
export type TrainLiveSlot = (card: Extract<PracticeCard, { type: 'predict' }>) => ReactNode;

function clozeTex(segments: ClozeSegment[], index: number, revealed: boolean): string {
  return segments
    .map((s) =>
      'cloze' in s && s.cloze === index ? (revealed ? `\\boxed{${s.text}}` : '\\boxed{\\;\\,?\\,\\;}') : s.text,
    )
    .join('');
}

function ClozeText({ segments, index, revealed }: { segments: ClozeSegment[]; index: number; revealed: boolean }) {
  return (
    <p className="card-cloze">
      {segments.map((s, i) => {
        const key = `${i}`;
        if (!('cloze' in s) || s.cloze !== index) return <Inline key={key} text={s.text} />;
        return revealed ? (
          <mark key={key} className="cloze-answer">
            <Inline text={s.text} />
          </mark>
        ) : (
          <span key={key} className="cloze-blank" role="img" aria-label="blank">
            ?
          </span>
        );
      })}
    </p>
  );
}

export function CardView({
  card,
  revealed,
  choice,
  onChoose,
  trainLive,
}: {
  card: PracticeCard;
  revealed: boolean;
  choice: string | null;
  onChoose: (c: string) => void;
  trainLive?: TrainLiveSlot;
}) {
  if (card.type === 'qa')
    return (
      <div className="card-body">
        <div className="card-front">
          <CardText text={card.front} />
        </div>
        {revealed && (
          <div className="card-back">
            <p className="card-side-label">Answer</p>
            <CardText text={card.back} />
          </div>
        )}
      </div>
    );
  if (card.type === 'cloze')
    return (
      <div className="card-body">
        <p className="card-side-label">{revealed ? 'Filled in' : 'Fill in the box'}</p>
        {card.math ? (
          <TexMath
            tex={clozeTex(card.segments, card.index, revealed)}
            display
            label={revealed ? undefined : 'Formula with one part hidden in a box'}
          />
        ) : (
          <ClozeText segments={card.segments} index={card.index} revealed={revealed} />
        )}
      </div>
    );
  const right = choice === card.answer;
  return (
    <div className="card-body">
      <div className="card-front">
        <CardText text={card.prompt} />
      </div>
      <fieldset className="predict-choices" disabled={revealed}>
        <legend className="card-side-label">Pick the loss curve{revealed ? '' : ' (keys 1–3)'}</legend>
        {card.choices.map((c, i) => {
          const state = revealed ? (c === card.answer ? ' correct' : c === choice ? ' wrong' : ' dim') : '';
          return (
            <button
              key={c}
              type="button"
              className={`predict-choice${state}`}
              aria-pressed={choice === c}
              aria-label={`${i + 1}: ${c}, the loss ${LOSS_SHAPE_TEXT[c]}`}
              onClick={() => onChoose(c)}
            >
              <LossShape kind={c} width={116} height={68} />
              <span className="predict-choice-label">
                <kbd>{i + 1}</kbd> {c}
              </span>
            </button>
          );
        })}
      </fieldset>
      {revealed && (
        <div className={`card-back predict-verdict ${right ? 'right' : 'wrong'}`} role="status">
          <p className="predict-verdict-head">
            {right ? '✓ Right' : `✗ Not quite: it ${card.answer === 'overfits' ? 'overfits' : card.answer}`}
          </p>
          <CardText text={card.explain} />
          <div className="train-live-slot" data-slot="train-live">
            {trainLive?.(card)}
          </div>
        </div>
      )}
    </div>
  );
}
