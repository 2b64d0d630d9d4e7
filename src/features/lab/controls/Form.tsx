// The Lab's small form kit: labelled sliders (linear or logarithmic, with the value shown), selects, switches and
// segmented choices. Every control carries its visible label as its accessible name and works from the keyboard.
import { type ReactNode, useId } from 'react';

export function Field({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="lab-field">
      <span className="lab-field-label">{label}</span>
      {children}
      {hint && <span className="lab-field-hint">{hint}</span>}
    </div>
  );
}

interface SliderProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  /** Logarithmic travel (learning rates, weight decay); `zero` adds a leftmost stop meaning exactly 0. */
  log?: boolean;
  zero?: boolean;
  format?: (v: number) => string;
  onChange: (v: number) => void;
  disabled?: boolean;
  hint?: string;
}

const LOG_STOPS = 120;

export function Slider({ label, value, min, max, step = 1, log, zero, format, onChange, disabled, hint }: SliderProps) {
  const id = useId();
  const show = format ?? ((v: number) => String(v));
  let pos: number;
  let lo: number;
  let hi: number;
  let st: number;
  if (log) {
    lo = zero ? -1 : 0;
    hi = LOG_STOPS;
    st = 1;
    pos = value <= 0 && zero ? -1 : Math.round((Math.log(value / min) / Math.log(max / min)) * LOG_STOPS);
  } else {
    lo = min;
    hi = max;
    st = step;
    pos = value;
  }
  const fromPos = (p: number): number => {
    if (!log) return p;
    if (p < 0) return 0;
    const v = min * (max / min) ** (p / LOG_STOPS);
    // Round to two significant digits: a learning rate of 0.0031 reads better than 0.003098.
    return Number(v.toPrecision(2));
  };
  return (
    <div className="lab-field lab-slider">
      <label className="lab-field-label" htmlFor={id}>
        <span>{label}</span>
        <output htmlFor={id} className="lab-value">
          {show(value)}
        </output>
      </label>
      <input
        id={id}
        type="range"
        min={lo}
        max={hi}
        step={st}
        value={Math.max(lo, Math.min(hi, pos))}
        aria-valuetext={show(value)}
        disabled={disabled}
        onChange={(e) => onChange(fromPos(Number(e.currentTarget.value)))}
      />
      {hint && <span className="lab-field-hint">{hint}</span>}
    </div>
  );
}

export function Select<T extends string>({
  label,
  value,
  options,
  onChange,
  disabled,
}: {
  label: string;
  value: T;
  options: readonly { id: T; label: string }[];
  onChange: (v: T) => void;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="lab-field">
      <label className="lab-field-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} value={value} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value as T)}>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Switch({
  label,
  checked,
  onChange,
  disabled,
  title,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  disabled?: boolean;
  title?: string;
}) {
  return (
    <label className="lab-switch" title={title}>
      <input
        type="checkbox"
        role="switch"
        aria-checked={checked}
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
      <span className="lab-switch-track" aria-hidden="true" />
      <span>{label}</span>
    </label>
  );
}

export function Segmented<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: readonly { id: T; label: ReactNode; title?: string }[];
  onChange: (v: T) => void;
}) {
  return (
    <fieldset className="lab-segmented">
      <legend className="lab-field-label">{label}</legend>
      <div className="lab-segmented-options">
        {options.map((o) => (
          <label key={o.id} className={o.id === value ? 'is-on' : undefined} title={o.title}>
            <input type="radio" name={label} value={o.id} checked={o.id === value} onChange={() => onChange(o.id)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function Stepper({
  label,
  value,
  min,
  max,
  onChange,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (v: number) => void;
}) {
  const id = useId();
  return (
    <div className="lab-stepper">
      <button
        type="button"
        aria-label={`Fewer: ${label}`}
        disabled={value <= min}
        onClick={() => onChange(Math.max(min, value - 1))}
      >
        −
      </button>
      <input
        id={id}
        aria-label={label}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        value={value}
        onChange={(e) => {
          const v = Math.round(Number(e.currentTarget.value));
          if (Number.isFinite(v)) onChange(Math.max(min, Math.min(max, v)));
        }}
      />
      <button
        type="button"
        aria-label={`More: ${label}`}
        disabled={value >= max}
        onClick={() => onChange(Math.min(max, value + 1))}
      >
        +
      </button>
    </div>
  );
}

/** Formats a number the way the Lab shows hyperparameters: 0.001, 3e-5, 0.25. */
export function fmtHyper(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e4) return v.toExponential(1).replace('e-', 'e−');
  return String(Number(v.toPrecision(3)));
}
