// Where demos come from in the browser: content/demos/*.yaml (bundled with the presentation mode, already checked by
// the content validator), the learner's own (src/state/demos.ts) and shared links. Every one is read through
// resolveDemo with the Lab's presets and panels, so a broken demo becomes sentences, never a crash.

import type { UserDemo } from '../../state/demos';
import { PRESETS, presetById } from '../../state/presets';
import { PANELS } from '../lab/stage';
import { type Demo, type DemoContext, parseDemoText, resolveDemo } from './demoModel';

/** The panels a slide may show: the Lab's, without its settings (presenting hides the controls). */
export const PRESENT_PANELS = PANELS.filter((p) => p.id !== 'controls');

export const demoContext: DemoContext = {
  preset: (id) => presetById(id),
  panels: new Set(PRESENT_PANELS.map((p) => p.id)),
};

const files = import.meta.glob('/content/demos/*.yaml', { eager: true, query: '?raw', import: 'default' }) as Record<
  string,
  string
>;

function readAll(): { demos: Demo[]; broken: string[] } {
  const demos: Demo[] = [];
  const broken: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    const parsed = parseDemoText(text);
    const r = parsed.ok ? resolveDemo(parsed.value, demoContext) : null;
    if (r?.demo) demos.push(r.demo);
    else broken.push(path);
  }
  demos.sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
  return { demos, broken };
}

let cache: ReturnType<typeof readAll> | null = null;

/** The curriculum's demos, in the curriculum's order. */
export function contentDemos(): Demo[] {
  cache ??= readAll();
  return cache.demos;
}

export function contentDemo(id: string): Demo | undefined {
  return contentDemos().find((d) => d.id === id);
}

/** A learner's demo as the presentation mode shows it, or the problems that keep it from showing. */
export function readUserDemo(d: UserDemo): { demo: Demo | null; problems: string[] } {
  return resolveDemo(d, demoContext);
}

/** How many presets the context knows (for the empty state's wording). */
export const PRESET_COUNT = PRESETS.length;
