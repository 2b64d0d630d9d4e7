// Reading completion: a page counts as read once the learner has reached the end of its body AND spent enough
// visible time on it (time with the tab hidden does not count). Reports progress so the page can show it.
import { type RefObject, useEffect, useRef, useState } from 'react';

export interface ReadingState {
  reachedEnd: boolean;
  seconds: number;
  required: number;
}

export function useReading(
  key: string,
  endRef: RefObject<HTMLElement | null>,
  requiredSeconds: number,
  enabled: boolean,
  onRead: () => void,
): ReadingState {
  const [state, setState] = useState<ReadingState>({ reachedEnd: false, seconds: 0, required: requiredSeconds });
  const fired = useRef(false);
  const onReadRef = useRef(onRead);
  onReadRef.current = onRead;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` restarts the count for a new page
  useEffect(() => {
    fired.current = false;
    setState({ reachedEnd: false, seconds: 0, required: requiredSeconds });
    if (!enabled) return;
    let seconds = 0;
    let reachedEnd = false;
    const check = () => {
      setState({ reachedEnd, seconds, required: requiredSeconds });
      if (!fired.current && reachedEnd && seconds >= requiredSeconds) {
        fired.current = true;
        onReadRef.current();
      }
    };
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') {
        seconds += 1;
        check();
      }
    }, 1000);
    let observer: IntersectionObserver | undefined;
    const end = endRef.current;
    if (end && typeof IntersectionObserver !== 'undefined') {
      observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting) && !reachedEnd) {
          reachedEnd = true;
          check();
        }
      });
      observer.observe(end);
    }
    return () => {
      window.clearInterval(timer);
      observer?.disconnect();
    };
    // `key` restarts the count for a new page.
  }, [key, endRef, requiredSeconds, enabled]);

  return state;
}
