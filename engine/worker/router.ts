// Routes protocol requests to a live session and session events to protocol events. Worker plumbing only: the
// worker entry (worker.ts) wires it to `self`; tests wire it to an in-memory port, so it runs in Node.
import type { LiveSession } from '../live/session';
import type { Emit, LiveEvent } from '../live/types';
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
  /** The session's event sink (pass it to the LiveSession constructor). */
  readonly emit: Emit;
  handle(message: unknown): Promise<void>;
}

/**
 * @param probe the environment's backend report (started once, at worker start)
 * @param session created lazily with the router's emit, so events of every session go through the router
 */
export function createRouter(
  post: Post,
  probe: () => Promise<BackendReport>,
  makeSession: (emit: Emit) => LiveSession,
): Router {
  let report: BackendReport | undefined;
  let session: LiveSession | undefined;
  const known = async (): Promise<BackendReport> => {
    report ??= await probe();
    return report;
  };

  const emit: Emit = (event: LiveEvent, transfer?: Transferable[]) => {
    if (event.type === 'backend') {
      // The probe has finished before any compile (handle awaits it), so the report is known here.
      const r = report ?? { kind: 'cpu', reason: 'the backend probe has not finished' };
      post({ type: 'backend', report: r, decision: event.decision });
      return;
    }
    post(event, transfer ?? transferablesOf(event));
  };

  const live = (): LiveSession => {
    session ??= makeSession(emit);
    return session;
  };

  const run = async (r: EngineRequest): Promise<ReplyResults[EngineRequest['type']]> => {
    switch (r.type) {
      case 'hello':
        return null;
      case 'probeBackend': {
        const rep = await known();
        post({ type: 'backend', report: rep });
        return rep;
      }
      case 'compile':
        await known();
        return live().compile(r.spec, r.backend);
      case 'recompile':
        await known();
        return live().recompile(r.spec);
      case 'train':
        live().train();
        return null;
      case 'pause':
        await live().pause();
        return { step: live().step };
      case 'step':
        return live().stepN(r.n);
      case 'setHyper':
        return live().setHyper(r.hyper);
      case 'evaluate':
        return live().evaluate(r.split);
      case 'inspect':
        return live().inspect(r.request);
      case 'snapshot':
        return live().snapshot();
      case 'cancel':
        await live().cancel();
        return null;
      case 'dispose':
        await session?.dispose();
        session = undefined;
        return null;
    }
  };

  return {
    emit,
    async handle(message: unknown): Promise<void> {
      if (!isEngineRequest(message)) {
        post({
          type: 'error',
          message: `the engine worker got a message it does not understand: ${describe(message)}`,
        });
        return;
      }
      try {
        const result = await run(message);
        post({ type: 'reply', id: message.id, ok: true, result }, transferablesOf(result));
      } catch (e) {
        post({ type: 'error', id: message.id, message: e instanceof Error ? e.message : String(e) });
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
