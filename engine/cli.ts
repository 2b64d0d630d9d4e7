// Headless runner: `npm run engine -- run <job.json> [--backend cpu|webgpu|auto] [--out result.json]`.
// Reads a job (engine/job/types.ts), validates it (errors go to stderr, exit code 2), trains on the chosen backend
// and prints or writes the result JSON. In Node, WebGPU comes from the `webgpu` package via engine/node/gpu.ts.
// `--backend auto` decides as the live session does (engine/live/choose.ts: calibration, the estimate, a trial of the
// program itself when close) and prints the decision's reason on stderr.

import type { BackendName } from './backends/backend';
import { exportCommand } from './export/cli';
import { openJob, writeResult } from './job/command';
import { runJob } from './job/runJob';
import { landscapeCommand } from './landscape/cli';

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
  const opened = await openJob(args.job, args.backend);
  if (!opened.ok) return opened.exitCode;
  const result = await runJob(opened.job, opened.factory);
  writeResult(args.out, result, () => {
    const last = result.losses[result.losses.length - 1];
    return `${result.losses.length} steps on ${result.backend} in ${result.trainSeconds.toFixed(3)} s, final loss ${last}`;
  });
  return 0;
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
