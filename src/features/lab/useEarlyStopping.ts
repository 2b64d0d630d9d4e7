// Early stopping in the Lab: pause when the validation loss has not improved for `patience` evaluations, and say
// so. Watching happens on the UI side (the engine reports evaluations); 0 turns it off.
import { useEffect, useRef, useState } from 'react';
import type { RunId } from '../../../engine/index';
import { useRuns } from '../../state/runs';

export function bestSince(loss: ArrayLike<number>): { best: number; at: number; since: number } {
  let best = Number.POSITIVE_INFINITY;
  let at = -1;
  for (let i = 0; i < loss.length; i++)
    if (loss[i] < best) {
      best = loss[i];
      at = i;
    }
  return { best, at, since: at < 0 ? 0 : loss.length - 1 - at };
}

export function useEarlyStopping(runs: RunId[], patience: number, stop: () => void): string | null {
  const [message, setMessage] = useState<string | null>(null);
  const fired = useRef<string>('');
  const counts = useRuns((s) => runs.map((id) => s.runs[id]?.val.loss.length ?? 0).join());
  // biome-ignore lint/correctness/useExhaustiveDependencies: counts says when a new evaluation arrived
  useEffect(() => {
    if (patience <= 0) {
      setMessage(null);
      return;
    }
    const state = useRuns.getState();
    for (const id of runs) {
      const r = state.runs[id];
      if (r?.status !== 'training') continue;
      const { best, at, since } = bestSince(r.val.loss.view());
      const key = `${id}:${r.val.loss.length}`;
      if (since >= patience && fired.current !== key) {
        fired.current = key;
        stop();
        const stepAt = r.val.step.view()[at];
        setMessage(
          `Early stopping${runs.length > 1 ? ` (run ${id})` : ''}: the validation loss has not improved for ${patience} evaluation${patience === 1 ? '' : 's'} (best ${best.toFixed(4)} at step ${stepAt.toLocaleString('en-US')}). Training paused.`,
        );
        return;
      }
    }
  }, [counts, patience]);
  return message;
}
