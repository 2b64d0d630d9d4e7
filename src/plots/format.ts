// Number formats shared by the charts' ticks, tooltips and screen-reader summaries.

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Integers with thousands separators: 1,200. */
export function fmtInt(v: number): string {
  return Number.isFinite(v) ? INT.format(v) : String(v);
}

/** A value with about 3 significant digits: 0.213, 12.4, 1.2e-5; NaN as "–". */
export function fmt(v: number, digits = 3): string {
  if (Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e6) return v.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e');
  if (a >= 1000) return fmtInt(v);
  return String(Number(v.toPrecision(digits)));
}

/** Percent with no decimals: 43%. */
export function fmtPct(v: number): string {
  return `${Math.round(v * 100)}%`;
}

/** Tick labels for a log axis: powers of ten as 10⁻³ when `sci` (the axis reaches small or large values). */
export function fmtLogTick(v: number, sci = v < 0.01 || v >= 1e4): string {
  const e = Math.log10(v);
  if (Math.abs(e - Math.round(e)) < 1e-9 && sci) {
    const sup = '⁰¹²³⁴⁵⁶⁷⁸⁹';
    const n = Math.round(e);
    const digits = String(Math.abs(n))
      .split('')
      .map((d) => sup[Number(d)])
      .join('');
    return `10${n < 0 ? '⁻' : ''}${digits}`;
  }
  return fmt(v);
}

/** Short counts for small cells: 983, 1.0k, 12k. */
export function fmtCompact(v: number): string {
  const a = Math.abs(v);
  if (a < 1000) return fmtInt(v);
  if (a < 1e4) return `${(v / 1000).toFixed(1)}k`;
  if (a < 1e6) return `${Math.round(v / 1000)}k`;
  return `${(v / 1e6).toFixed(1)}M`;
}
