// The reveal of a "predict the curve" card trains its configuration for real: a preset runs in the concept pages'
// mini-lab (play, watch the curve it predicted); an inline configuration opens in the Lab.
import { encodeSpec, validateSpec } from '../../../engine/index';
import { Link } from '../../app/router';
import { MiniLab } from '../lab';
import type { TrainLiveSlot } from './CardView';

export const trainLive: TrainLiveSlot = (card) => {
  if (card.preset) return <MiniLab presetId={card.preset} />;
  const v = card.spec === undefined ? null : validateSpec(card.spec);
  if (!v?.ok) return null;
  return (
    <Link className="button button-small" to={`/lab?s=${encodeSpec(v.value)}`}>
      Train it in the Lab →
    </Link>
  );
};
