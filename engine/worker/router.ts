// Routes protocol requests to live sessions and session events to protocol events. Worker plumbing only: the
// worker entry (worker.ts) wires it to `self`; tests wire it to an in-memory port, so it runs in Node.
//
// One worker holds several runs (a Lab comparison trains A and B side by side): each run id names its own
// LiveSession, created by the run's first request; the backend probe is shared. Events a session emits are tagged
// with its run, so the UI can tell them apart.
import { weightsFromState } from '../live/layers';
import type { LiveSession } from '../live/session';
import { DEFAULT_RUN, type Emit, type LiveEvent, type RunId } from '../live/types';
import {
  type BackendReport,
  type EngineEvent,
  type EngineRequest,
  isEngineRequest,
  type ReplyResults,
  transferablesOf,
} from './protocol';

export type Post = (event: EngineEvent, transfer?: Transferable[]) => void;

export interface Router {
  handle(message: unknown): Promise<void>;
  /** The runs that have a session now. */
  runs(): RunId[];
}

/**
 * @param probe the environment's backend report (started once, at worker start)
 * @param makeSession creates a run's session with the router's emit for that run, so its events are tagged
 */
export function createRouter(
  post: Post,
  probe: () => Promise<BackendReport>,
  makeSession: (emit: Emit) => LiveSession,
): Router {
  let report: BackendReport | undefined;
  const sessions = new Map<RunId, LiveSession>();
  const known = async (): Promise<BackendReport> => {
    report ??= await probe();
    return report;
  };

  const emitFor =
    (run: RunId): Emit =>
    (event: LiveEvent, transfer?: Transferable[]) => {
      if (event.type === 'backend') {
        // The probe has finished before any compile (handle awaits it), so the report is known here.
        const r = report ?? { kind: 'cpu', reason: 'the backend probe has not finished' };
        post({ type: 'backend', run, report: r, decision: event.decision });
        return;
      }
      post({ ...event, run }, transfer ?? transferablesOf(event));
    };

  const live = (run: RunId): LiveSession => {
    let s = sessions.get(run);
    if (!s) {
      s = makeSession(emitFor(run));
      sessions.set(run, s);
    }
    return s;
  };

  /** Run X's initial state for `alignWith: X` (it must have been compiled). */
  const initialOf = (run: RunId) => {
    const init = sessions.get(run)?.initialState();
    if (!init) throw new Error(`there is no run '${run}' to align with: compile it first`);
    return init;
  };

  const handle = async (r: EngineRequest): Promise<ReplyResults[EngineRequest['type']]> => {
    const run = r.run ?? DEFAULT_RUN;
    switch (r.type) {
      case 'hello':
        return null;
      case 'probeBackend': {
        const rep = await known();
        post({ type: 'backend', report: rep });
        return rep;
      }
      case 'compile': {
        await known();
        if (r.alignWith === run) throw new Error('a run cannot align with itself');
        const alignWith = r.alignWith === undefined ? undefined : initialOf(r.alignWith);
        return live(run).compile(r.spec, r.backend, { alignWith });
      }
      case 'recompile':
        await known();
        return live(run).recompile(r.spec);
      case 'train':
        live(run).train();
        return null;
      case 'pause':
        await live(run).pause();
        return { step: live(run).step };
      case 'step':
        return live(run).stepN(r.n);
      case 'setHyper':
        return live(run).setHyper(r.hyper);
      case 'evaluate':
        return live(run).evaluate(r.split);
      case 'inspect':
        return live(run).inspect(r.request);
      case 'snapshot':
        return live(run).snapshot();
      case 'initialWeights': {
        const init = sessions.get(run)?.initialState();
        if (!init) throw new Error(`run '${run}' has not been compiled: it has no initial weights yet`);
        return { weights: weightsFromState(init.program, init.state) };
      }
      case 'cancel':
        await live(run).cancel();
        return null;
      case 'rewind':
        return live(run).rewind();
      case 'loadWeights':
        return live(run).loadWeights(r.weights);
      case 'watchGrid':
        await live(run).watchGrid(r.grid);
        return null;
      case 'predictions':
        return live(run).predictions(r.split, r.limit);
      case 'dataset':
        return live(run).datasetView(r.maxRows);
      case 'landscape':
        return live(run).landscape(r.request, (progress) =>
          post({ type: 'landscapeProgress', run, id: r.id, progress }),
        );
      case 'interpolate': {
        const o = r.request.other;
        if (o === run) throw new Error('a run cannot be interpolated with itself');
        const other = o === undefined ? null : sessions.get(o);
        if (other === undefined) throw new Error(`there is no run '${o}' to interpolate with`);
        const ticket = live(run).landscapeTicket();
        const target = other && { run: o as RunId, ...(await other.landscapeMoment()) };
        return live(run).interpolate(
          r.request,
          target,
          (progress) => post({ type: 'landscapeProgress', run, id: r.id, progress }),
          ticket,
        );
      }
      case 'cancelLandscape':
        live(run).cancelLandscape();
        return null;
      case 'attention':
        return live(run).attention({ split: r.split, rows: r.rows });
      case 'dispose': {
        const s = sessions.get(run);
        sessions.delete(run);
        await s?.dispose();
        return null;
      }
    }
  };

  return {
    runs: () => [...sessions.keys()],
    async handle(message: unknown): Promise<void> {
      if (!isEngineRequest(message)) {
        post({
          type: 'error',
          message: `the engine worker got a message it does not understand: ${describe(message)}`,
        });
        return;
      }
      try {
        const result = await handle(message);
        post({ type: 'reply', id: message.id, ok: true, result }, transferablesOf(result));
      } catch (e) {
        post({
          type: 'error',
          id: message.id,
          run: message.run ?? DEFAULT_RUN,
          message: e instanceof Error ? e.message : String(e),
        });
      }
    },
  };
}

function describe(v: unknown): string {
  try {
    return JSON.stringify(v).slice(0, 120);
  } catch {
    return String(v);
  }
}
