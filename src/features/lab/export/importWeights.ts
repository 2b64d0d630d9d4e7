// Reading a state-dict JSON ({key: {shape, data}}, as train.py --save-state and the Export dialog write it) and
// checking it against the model's own keys and shapes before anything is loaded, so a file for another model is
// refused with the list of what does not fit instead of being half applied.
import type { StateDict, WeightsDict } from '../../../../engine/index';

export type ParsedWeights = { ok: true; dict: StateDict } | { ok: false; problems: string[] };

const isIntArray = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0);

/** Parses the file's text; every problem names its key. */
export function parseStateDict(text: string): ParsedWeights {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [`the file is not JSON (${e instanceof Error ? e.message : String(e)})`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, problems: ['the file is not a state dict: expected an object of {"key": {"shape", "data"}}'] };
  const dict: StateDict = {};
  const problems: string[] = [];
  for (const [key, t] of Object.entries(raw as Record<string, unknown>)) {
    const shape = (t as { shape?: unknown } | null)?.shape;
    const data = (t as { data?: unknown } | null)?.data;
    if (!isIntArray(shape) || !Array.isArray(data)) {
      problems.push(`${key}: expected {"shape": [...], "data": [...]}`);
      continue;
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (data.length !== size) problems.push(`${key}: ${data.length} numbers for shape [${shape.join(', ')}] (${size})`);
    else if (!data.every((v) => typeof v === 'number' && Number.isFinite(v)))
      problems.push(`${key}: holds a value that is not a finite number`);
    else dict[key] = { shape, data: data as number[] };
  }
  if (Object.keys(raw as object).length === 0) problems.push('the file holds no tensors');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, dict };
}

/** What does not fit the model: keys it lacks, keys the file lacks, shapes that differ. Empty when it all fits. */
export function mismatches(dict: StateDict, model: WeightsDict): string[] {
  const out: string[] = [];
  for (const [key, t] of Object.entries(model)) {
    const given = dict[key];
    if (!given) out.push(`${key}: missing from the file (the model has shape [${t.shape.join(', ')}])`);
    else if (given.shape.join('x') !== t.shape.join('x'))
      out.push(`${key}: shape [${given.shape.join(', ')}] in the file, [${t.shape.join(', ')}] in the model`);
  }
  for (const key of Object.keys(dict)) if (!(key in model)) out.push(`${key}: the model has no such tensor`);
  return out;
}
