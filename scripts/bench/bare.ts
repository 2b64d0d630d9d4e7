// The bare engine on a spec the Lab ran (scripts/bench/lab.ts), in the bench page, without any UI: the same
// normalized spec (decoded from the Lab's URL, data section included, so the same dataset, network and batch), on
// the backend the Lab's 'auto' picked, through the same host the engine worker uses (engine/live/host.ts: its
// dataset loading and runtime creation). Two measurements:
// - runtime: Runtime.trainSteps through the shared harness (harness.ts), the way every other bench case is timed;
// - session: the live session (engine/live/session.ts) with that backend forced, training continuously, measured by
//   its step counter over wall time (as ours.ts's `auto` case), i.e. the Lab's engine loop without worker, UI,
//   grid pushes or inspections.

import type { BackendName } from '../../engine/backends/backend';
import { compile } from '../../engine/graph/compile';
import { createHost } from '../../engine/live/host';
import { LiveSession } from '../../engine/live/session';
import { decodeSpec } from '../../engine/spec/encode';
import { type Measurement, measure, median } from './harness';

export interface BareRequest {
  /** The Lab's compact spec (its URL's `s` parameter). */
  encoded: string;
  backend: BackendName;
  seconds: number;
  rounds: number;
}

export interface BareResult {
  ok: boolean;
  error?: string;
  batch?: number;
  runtime?: Measurement;
  session?: { stepsPerSec: number; rounds: number[]; chunkSteps: number };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runBare(req: BareRequest): Promise<BareResult> {
  const d = decodeSpec(req.encoded);
  if (!d.ok) return { ok: false, error: `the Lab's spec does not decode: ${JSON.stringify(d.errors).slice(0, 200)}` };
  const spec = d.value;
  const host = createHost();
  const now = () => performance.now();
  // Runtime through the harness.
  const rt = await host.create(compile(spec), req.backend);
  let runtime: Measurement;
  try {
    runtime = await measure(
      {
        async run(n) {
          const r = await rt.trainSteps(n);
          return r.losses[r.losses.length - 1];
        },
        dispose: () => rt.dispose(),
      },
      { seconds: req.seconds, rounds: req.rounds },
    );
  } finally {
    rt.dispose();
  }
  // The live session, backend forced, continuous training.
  const session = new LiveSession(host, () => undefined);
  try {
    await session.compile(spec, req.backend);
    session.train();
    const warm0 = now();
    while ((now() - warm0 < 1500 || session.step === 0) && session.state === 'training' && now() - warm0 < 60_000)
      await sleep(50);
    const nextChunk = async (): Promise<{ step: number; t: number }> => {
      const from = session.step;
      const until = now() + 60_000;
      while (session.step === from && session.state === 'training' && now() < until) await sleep(2);
      return { step: session.step, t: now() };
    };
    const rounds: number[] = [];
    let mark = await nextChunk();
    for (let r = 0; r < req.rounds && session.state === 'training'; r++) {
      const start = mark;
      await sleep(req.seconds * 1000);
      mark = await nextChunk();
      if (mark.step > start.step) rounds.push(((mark.step - start.step) * 1000) / (mark.t - start.t));
    }
    const chunkSteps = session.chunkSteps;
    await session.pause();
    return {
      ok: true,
      batch: spec.training.batchSize,
      runtime,
      session: { stepsPerSec: median(rounds), rounds, chunkSteps },
    };
  } finally {
    await session.dispose();
  }
}
