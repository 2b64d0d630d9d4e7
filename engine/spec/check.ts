// Small checking helpers for validation: each records a SpecError naming the path and the rule, and returns a
// usable value (the default, or a harmless placeholder) so validation can continue and report everything at once.
// Nothing here throws.

import type { SpecError } from './types';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fmt(n: number): string {
  return String(n);
}

export class Checker {
  readonly errors: SpecError[] = [];

  fail(path: string, rule: string): void {
    this.errors.push({ path, message: `${path} ${rule}` });
  }

  /** A message that does not start with the path itself (e.g. `model.layers[4]: dense after conv2d ...`). */
  failAt(path: string, message: string): void {
    this.errors.push({ path, message: `${path}: ${message}` });
  }

  obj(path: string, v: unknown): Obj | null {
    if (isObj(v)) return v;
    this.fail(path, v === undefined ? 'is required (an object)' : 'must be an object');
    return null;
  }

  /** Reports keys not in `allowed` (typos would otherwise be silently ignored). */
  known(path: string, o: Obj, allowed: readonly string[]): void {
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k)) this.fail(`${path}.${k}`, `is not a known field here (allowed: ${allowed.join(', ')})`);
    }
  }

  int(path: string, v: unknown, min: number, max: number, def?: number): number {
    if (v === undefined && def !== undefined) return def;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(path, `must be an integer from ${fmt(min)} to ${fmt(max)}`);
      return def ?? min;
    }
    return v;
  }

  /** A finite number in [min, max]; `openMin`/`openMax` exclude the bound. */
  num(
    path: string,
    v: unknown,
    min: number,
    max: number,
    def?: number,
    open: { min?: boolean; max?: boolean } = {},
  ): number {
    if (v === undefined && def !== undefined) return def;
    const low = open.min ? v !== undefined && typeof v === 'number' && v > min : typeof v === 'number' && v >= min;
    const high = open.max ? typeof v === 'number' && v < max : typeof v === 'number' && v <= max;
    if (typeof v !== 'number' || !Number.isFinite(v) || !low || !high) {
      const lo = open.min ? `greater than ${fmt(min)}` : `at least ${fmt(min)}`;
      const hi = open.max ? `less than ${fmt(max)}` : `at most ${fmt(max)}`;
      this.fail(path, `must be a number ${lo} and ${hi}`);
      return def ?? (open.min ? max : min);
    }
    return v;
  }

  bool(path: string, v: unknown, def: boolean): boolean {
    if (v === undefined) return def;
    if (typeof v !== 'boolean') {
      this.fail(path, 'must be true or false');
      return def;
    }
    return v;
  }

  oneOf<T extends string>(path: string, v: unknown, allowed: readonly T[], def?: T): T | null {
    if (v === undefined && def !== undefined) return def;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      const what = v === undefined ? 'is required' : `must be one of ${allowed.join(', ')}`;
      this.fail(
        path,
        v === undefined ? `${what} (one of ${allowed.join(', ')})` : `${what} (got ${JSON.stringify(v)})`,
      );
      return null;
    }
    return v as T;
  }

  array(path: string, v: unknown, minLen: number, maxLen: number): unknown[] | null {
    if (!Array.isArray(v) || v.length < minLen || v.length > maxLen) {
      this.fail(path, `must be an array of ${minLen === maxLen ? minLen : `${minLen} to ${maxLen}`} items`);
      return null;
    }
    return v;
  }
}
