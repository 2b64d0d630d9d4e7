// `npm run -s engine -- export <job.json> --out DIR [--no-train]`: writes the PyTorch project of a job (see
// project.ts) into DIR. Without --no-train the job runs on the CPU first, for final_state.json and lab_losses.json.
// Exit codes as `run`: 2 for a bad job or arguments.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Job } from '../job/types';
import { validateJob } from '../job/validateJob';
import { exportJob } from './fromJob';

const USAGE = 'usage: npm run engine -- export <job.json> --out DIR [--no-train]';

export async function exportCommand(args: string[]): Promise<number> {
  let jobPath: string | null = null;
  let out: string | null = null;
  let train = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--out') {
      out = args[++i] ?? null;
      if (out === null) return fail(`--out needs a folder\n${USAGE}`);
    } else if (a === '--no-train') train = false;
    else if (a.startsWith('--')) return fail(`unknown option ${a}\n${USAGE}`);
    else if (jobPath === null) jobPath = a;
    else return fail(`unexpected argument ${a}\n${USAGE}`);
  }
  if (jobPath === null) return fail(`missing <job.json>\n${USAGE}`);
  if (out === null) return fail(`missing --out DIR\n${USAGE}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(jobPath, 'utf8'));
  } catch (e) {
    return fail(`cannot read job ${jobPath}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const checked = validateJob(raw);
  if (!checked.ok) return fail(`invalid job ${jobPath}:\n${checked.errors.map((e) => `  ${e.message}`).join('\n')}`);
  const result = await exportJob(raw as Job, checked.value, { train });
  if (!result.ok) return fail(`cannot export ${jobPath}:\n${result.errors.map((e) => `  ${e}`).join('\n')}`);
  mkdirSync(out, { recursive: true });
  for (const f of result.files) writeFileSync(join(out, f.name), f.content);
  process.stderr.write(`wrote ${result.files.map((f) => f.name).join(', ')} to ${out}\n`);
  return 0;
}

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 2;
}
