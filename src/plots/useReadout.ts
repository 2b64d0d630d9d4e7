// Keyboard reading of a chart's items (days, bars): arrow keys move through them, Home/End jump, Escape leaves.
import { type KeyboardEvent, useState } from 'react';

export function useReadout(count: number, step: Partial<Record<string, number>> = {}) {
  const [index, setIndex] = useState<number | null>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    const cur = index ?? count - 1;
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ...step };
    let next: number | null = null;
    if (e.key in moves) next = cur + (moves[e.key] ?? 0);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = count - 1;
    else if (e.key === 'Escape') {
      setIndex(null);
      return;
    }
    if (next === null) return;
    e.preventDefault();
    setIndex(Math.max(0, Math.min(count - 1, next)));
  };
  return { index, setIndex, onKeyDown, onBlur: () => setIndex(null) };
}
