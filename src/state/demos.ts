// The learner's own demos (presentation mode): sequences of Lab states, each step a whole spec (and run B), the
// panels shown, a caption. Kept in localStorage under one versioned key: a demo is a few kilobytes, and the Lab's
// "Add to demo" must store synchronously before the learner navigates away. The store never judges a demo: the
// presentation mode reads every demo through its validator (src/features/present/demoModel.ts) before showing it.
import { create } from 'zustand';
import type { ExperimentSpec } from '../../engine/index';

export interface UserDemoStep {
  title: string;
  caption: string;
  spec: ExperimentSpec;
  compare?: { labelA: string; labelB: string; spec: ExperimentSpec };
  panels: string[];
  point?: { panel: string; note?: string };
  train?: number;
}

export interface UserDemo {
  /** "user-" and a random suffix: never a content demo's id. */
  id: string;
  title: string;
  summary?: string;
  steps: UserDemoStep[];
}

interface DemosState {
  demos: UserDemo[];
  /** Why the last save failed (storage full or blocked), for the learner; null when saved. */
  problem: string | null;
}

export const DEMOS_KEY = 'atlas.demos.v1';
export const USER_PREFIX = 'user-';

function read(): UserDemo[] {
  try {
    const text = localStorage.getItem(DEMOS_KEY);
    if (!text) return [];
    const v = JSON.parse(text) as { version?: number; demos?: unknown };
    return Array.isArray(v.demos) ? (v.demos as UserDemo[]).filter((d) => d && typeof d.id === 'string') : [];
  } catch {
    return [];
  }
}

export const useDemos = create<DemosState>(() => ({ demos: read(), problem: null }));

function save(demos: UserDemo[]): void {
  let problem: string | null = null;
  try {
    localStorage.setItem(DEMOS_KEY, JSON.stringify({ version: 1, demos }));
  } catch (e) {
    const name = (e as { name?: string } | null)?.name ?? '';
    problem =
      name === 'QuotaExceededError'
        ? 'Your browser’s storage for this site is full: the demo is kept only until you close this tab. Download it as a file to keep it.'
        : 'This browser does not let the site save data: the demo is kept only until you close this tab. Download it as a file to keep it.';
  }
  useDemos.setState({ demos, problem });
}

// Another tab changed the demos: follow it.
if (typeof window !== 'undefined')
  window.addEventListener('storage', (e) => {
    if (e.key === DEMOS_KEY) useDemos.setState({ demos: read() });
  });

export function newDemoId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return (
    USER_PREFIX +
    Array.from(bytes, (b) => b.toString(36).padStart(2, '0'))
      .join('')
      .slice(0, 10)
  );
}

export function userDemo(id: string): UserDemo | undefined {
  return useDemos.getState().demos.find((d) => d.id === id);
}

/** Appends a step to a demo (a new one named `title` when `demoId` is null). Returns the demo's id. */
export function addStep(demoId: string | null, step: UserDemoStep, title = 'My demo'): string {
  const demos = useDemos.getState().demos;
  if (demoId && demos.some((d) => d.id === demoId)) {
    save(demos.map((d) => (d.id === demoId ? { ...d, steps: [...d.steps, step] } : d)));
    return demoId;
  }
  const id = newDemoId();
  save([...demos, { id, title: title.trim() || 'My demo', steps: [step] }]);
  return id;
}

/** Stores a whole demo (an import, or an edit); a new id unless it replaces one of the learner's own. */
export function putDemo(demo: UserDemo): string {
  const demos = useDemos.getState().demos;
  if (demos.some((d) => d.id === demo.id)) {
    save(demos.map((d) => (d.id === demo.id ? demo : d)));
    return demo.id;
  }
  const id = demo.id.startsWith(USER_PREFIX) ? demo.id : newDemoId();
  save([...demos, { ...demo, id }]);
  return id;
}

export function updateDemo(id: string, change: (d: UserDemo) => UserDemo): void {
  save(useDemos.getState().demos.map((d) => (d.id === id ? change(d) : d)));
}

export function removeDemo(id: string): void {
  save(useDemos.getState().demos.filter((d) => d.id !== id));
}

export function moveStep(d: UserDemo, from: number, to: number): UserDemo {
  if (to < 0 || to >= d.steps.length) return d;
  const steps = [...d.steps];
  const [s] = steps.splice(from, 1);
  steps.splice(to, 0, s);
  return { ...d, steps };
}
