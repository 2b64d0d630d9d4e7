// What the job commands of the CLI (`run` in engine/cli.ts, `landscape` in engine/landscape/cli.ts) share: read and
// validate the job file, pick the backend (auto decides as the live session does, engine/live/choose.ts) and check it
// is available; and write the result JSON to stdout or a file. Problems go to stderr with the CLI's exit codes:
// 2 for a bad job, 3 for an unavailable backend. stdout carries nothing but the result JSON.

import { readFileSync, writeFileSync } from 'node:fs';
import type { BackendFactory, BackendName } from '../backends/backend';
import { BACKENDS } from '../backends/index';
import { compile } from '../graph/compile';
import type { Program } from '../graph/program';
import { chooseBackend } from '../live/choose';
import { createHost } from '../live/host';
import type { CheckedJob } from './types';
import { validateJob } from './validateJob';

export type OpenedJob =
  | { ok: true; job: CheckedJob; program: Program; factory: BackendFactory }
  | { ok: false; exitCode: number };

export async function openJob(path: string, backend: BackendName | 'auto'): Promise<OpenedJob> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    process.stderr.write(`cannot read job ${path}: ${e instanceof Error ? e.message : String(e)}\n`);
    return { ok: false, exitCode: 2 };
  }
  const checked = validateJob(raw);
  if (!checked.ok) {
    process.stderr.write(`invalid job ${path}:\n${checked.errors.map((e) => `  ${e.message}`).join('\n')}\n`);
    return { ok: false, exitCode: 2 };
  }
  const program = compile(checked.value.spec);
  const factory = backend === 'auto' ? await decideAuto(program) : BACKENDS[backend];
  const avail = await factory.available();
  if (!avail.ok) {
    process.stderr.write(`backend ${factory.name} is not available: ${avail.reason}\n`);
    return { ok: false, exitCode: 3 };
  }
  return { ok: true, job: checked.value, program, factory };
}

/** 'auto' as the live session decides it; the reason goes to stderr. */
async function decideAuto(program: Program): Promise<BackendFactory> {
  // No background refinement of the WebGPU calibration: a one-shot run would wait for it or race it.
  const host = createHost(BACKENDS, { refineCalibration: false });
  const decision = await chooseBackend(host, program, 'auto');
  process.stderr.write(`backend auto: ${decision.reason}\n`);
  return BACKENDS[decision.backend];
}

/** The result as one line of JSON: on stdout, or into `out` with `summary` (what ran, in a line) on stderr. */
export function writeResult(out: string | null, result: unknown, summary: () => string): void {
  const text = `${JSON.stringify(result)}\n`;
  if (out === null) process.stdout.write(text);
  else {
    writeFileSync(out, text);
    process.stderr.write(`${summary()}; wrote ${out}\n`);
  }
}
