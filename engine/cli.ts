// Headless runner: `npm run engine -- run <job.json> [--backend cpu|webgpu|auto] [--out result.json]`.
// Reads a job (engine/job/types.ts), validates it (errors go to stderr, exit code 2), trains on the chosen backend
// and prints or writes the result JSON. In Node, WebGPU comes from the `webgpu` package via engine/node/gpu.ts.
// `--backend auto` decides as the live session does (engine/live/choose.ts: calibration, the estimate, a trial of the
// program itself when close) and prints the decision's reason on stderr.

import { readFileSync, writeFileSync } from 'node:fs';
import type { BackendFactory, BackendName } from './backends/backend';
import { BACKENDS } from './backends/index';
import { exportCommand } from './export/cli';
import { compile } from './graph/compile';
import { runJob } from './job/runJob';
import type { CheckedJob } from './job/types';
import { validateJob } from './job/validateJob';
import { landscapeCommand } from './landscape/cli';
import { chooseBackend } from './live/choose';
import { createHost } from './live/host';

const USAGE =
  'usage: npm run engine -- run <job.json> [--backend cpu|webgpu|auto] [--out result.json]\n       npm run engine -- landscape <job.json> --grid N --range R --directions random|pca --seed S --out l.json';

interface Args {
  job: string;
  backend: BackendName | 'auto';
  out: string | null;
}

function parseArgs(argv: string[]): Args | string {
  const [cmd, ...rest] = argv;
  if (cmd !== 'run') return cmd === undefined ? USAGE : `unknown command "${cmd}"\n${USAGE}`;
  let job: string | null = null;
  let backend: Args['backend'] = 'auto';
  let out: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--backend') {
      const v = rest[++i];
      if (v !== 'cpu' && v !== 'webgpu' && v !== 'auto') return `--backend must be cpu, webgpu or auto\n${USAGE}`;
      backend = v;
    } else if (a === '--out') {
      const v = rest[++i];
      if (v === undefined) return `--out needs a file name\n${USAGE}`;
      out = v;
    } else if (a.startsWith('--')) return `unknown option ${a}\n${USAGE}`;
    else if (job === null) job = a;
    else return `unexpected argument ${a}\n${USAGE}`;
  }
  if (job === null) return `missing <job.json>\n${USAGE}`;
  return { job, backend, out };
}

async function main(): Promise<number> {
  if (process.argv[2] === 'landscape') return landscapeCommand(process.argv.slice(3));
  if (process.argv[2] === 'export') return exportCommand(process.argv.slice(3));
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n`);
    return 2;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(args.job, 'utf8'));
  } catch (e) {
    process.stderr.write(`cannot read job ${args.job}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const checked = validateJob(raw);
  if (!checked.ok) {
    process.stderr.write(`invalid job ${args.job}:\n${checked.errors.map((e) => `  ${e.message}`).join('\n')}\n`);
    return 2;
  }
  const factory = args.backend === 'auto' ? await decideAuto(checked.value) : BACKENDS[args.backend];
  const avail = await factory.available();
  if (!avail.ok) {
    process.stderr.write(`backend ${factory.name} is not available: ${avail.reason}\n`);
    return 3;
  }
  const result = await runJob(checked.value, factory);
  const text = `${JSON.stringify(result)}\n`;
  if (args.out === null) process.stdout.write(text);
  else {
    writeFileSync(args.out, text);
    const last = result.losses[result.losses.length - 1];
    process.stderr.write(
      `${result.losses.length} steps on ${result.backend} in ${result.trainSeconds.toFixed(3)} s, final loss ${last}; wrote ${args.out}\n`,
    );
  }
  return 0;
}

/** 'auto' as the live session decides it; the reason goes to stderr (stdout stays pure JSON). */
async function decideAuto(job: CheckedJob): Promise<BackendFactory> {
  // No background refinement of the WebGPU calibration: a one-shot run would wait for it or race it.
  const host = createHost(BACKENDS, { refineCalibration: false });
  const decision = await chooseBackend(host, compile(job.spec), 'auto');
  process.stderr.write(`backend auto: ${decision.reason}\n`);
  return BACKENDS[decision.backend];
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`engine failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
