// The contestants' list: a switch per optimizer (its colour and marker beside the name), its learning rate, and its
// other hyperparameters behind a disclosure. Values stay text while typed; the race validates them and says what is
// wrong instead of running a bad setting.
import { symbol } from 'd3';
import { memo } from 'react';
import { HYPER_FIELDS, type HyperKey, RACERS, type RacerId } from '../../../engine/index';
import { LOOKS } from './palette';

export interface RacerSetting {
  enabled: boolean;
  values: Partial<Record<HyperKey, string>>;
}

interface Props {
  settings: Record<RacerId, RacerSetting>;
  onChange: (id: RacerId, next: RacerSetting) => void;
  errors: Partial<Record<RacerId, string>>;
}

export function Swatch({ id }: { id: RacerId }) {
  const look = LOOKS[id];
  return (
    <svg width={18} height={18} viewBox="-9 -9 18 18" aria-hidden="true" className="race-swatch">
      <line x1={-8} x2={8} y1={0} y2={0} stroke={look.color} strokeWidth={2.5} />
      <path d={symbol(look.symbol, 50)() ?? ''} fill={look.color} className="race-head" />
    </svg>
  );
}

export const RacerControls = memo(function RacerControls({ settings, onChange, errors }: Props) {
  return (
    <ul className="race-racers" aria-label="Optimizers">
      {RACERS.map((r) => {
        const s = settings[r.id];
        const set = (key: HyperKey, v: string) => onChange(r.id, { ...s, values: { ...s.values, [key]: v } });
        const others = Object.keys(r.defaults) as HyperKey[];
        // The head's field shows torch's keyword (lr) to stay on one line on a phone; its accessible name is whole.
        const field = (key: HyperKey, short?: string) => (
          <label key={key} className="race-hyper">
            <span>{short ?? HYPER_FIELDS[key].label}</span>
            <input
              type="number"
              inputMode="decimal"
              step="any"
              min={HYPER_FIELDS[key].min}
              max={HYPER_FIELDS[key].max}
              value={s.values[key] ?? ''}
              aria-label={`${r.label} ${HYPER_FIELDS[key].label.toLowerCase()}`}
              onChange={(e) => set(key, e.currentTarget.value)}
              disabled={!s.enabled}
            />
          </label>
        );
        return (
          <li key={r.id} className={`race-racer${s.enabled ? '' : ' is-off'}`}>
            <div className="race-racer-head">
              <label className="race-toggle">
                <input
                  type="checkbox"
                  checked={s.enabled}
                  onChange={(e) => onChange(r.id, { ...s, enabled: e.currentTarget.checked })}
                />
                <Swatch id={r.id} />
                <span className="race-racer-name">{r.label}</span>
              </label>
              {field('lr', 'lr')}
            </div>
            {others.length > 0 && (
              <details className="race-more">
                <summary>
                  More<span className="visually-hidden"> {r.label} settings</span>
                </summary>
                <div className="race-more-fields">{others.map((k) => field(k))}</div>
              </details>
            )}
            {errors[r.id] && (
              <p className="race-error" role="alert">
                {errors[r.id]}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
});
