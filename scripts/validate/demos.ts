// The demo rules of the content validator: content/demos/<id>.yaml, the instructor's scripted sequences of
// experiments (format: src/features/present/demoModel.ts). Every step resolves to specs the engine validates (through
// the same resolveDemo the presentation mode uses), every preset, panel and concept it names exists, every caption's
// and note's math renders with KaTeX, and the id matches the file name.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import katex from 'katex';
import { PANELS } from '../../src/features/lab/labUrl';
import {
  type Demo,
  type DemoContext,
  type PresetLike,
  parseDemoText,
  resolveDemo,
} from '../../src/features/present/demoModel';

export interface DemoProblem {
  file: string;
  message: string;
}

/** The panels a slide may show (the Lab's, without its settings sidebar: presenting hides the controls). */
export const PRESENT_PANELS: ReadonlySet<string> = new Set(PANELS.map((p) => p.id).filter((id) => id !== 'controls'));
export const MIN_DEMOS = 6;
const MATH = /\$\$([\s\S]+?)\$\$|\$([^$\n]+?)\$/g;

export function demoContext(presets: Map<string, PresetLike>, concepts?: ReadonlySet<string>): DemoContext {
  return { preset: (id) => presets.get(id), panels: PRESENT_PANELS, concepts };
}

function mathProblems(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(MATH)) {
    const tex = m[1] ?? m[2];
    try {
      katex.renderToString(tex, { throwOnError: true, displayMode: m[1] !== undefined });
    } catch (e) {
      out.push(`math “${tex.slice(0, 40)}” does not render: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return out;
}

export function validateDemos(
  files: { file: string; source: string }[],
  ctx: DemoContext,
  { minDemos = MIN_DEMOS }: { minDemos?: number } = {},
): { problems: DemoProblem[]; demos: Demo[] } {
  const problems: DemoProblem[] = [];
  const demos: Demo[] = [];
  for (const { file, source } of files) {
    const path = `content/demos/${file}`;
    const report = (message: string) => problems.push({ file: path, message });
    const parsed = parseDemoText(source);
    if (!parsed.ok) {
      report(`could not be read: ${parsed.error}`);
      continue;
    }
    const { demo, problems: found } = resolveDemo(parsed.value, ctx);
    for (const m of found) report(m);
    if (!demo) continue;
    const fileId = file.replace(/\.ya?ml$/, '');
    if (demo.id !== fileId) report(`id “${demo.id}” differs from the file name “${fileId}”`);
    if (!demo.summary) report('no summary');
    if (demo.concepts.length === 0) report('no concepts (the concept pages the demo teaches)');
    demo.steps.forEach((s, i) => {
      for (const m of mathProblems(s.caption)) report(`step ${i + 1} (“${s.title}”): caption: ${m}`);
      if (s.point?.note)
        for (const m of mathProblems(s.point.note)) report(`step ${i + 1} (“${s.title}”): point: ${m}`);
    });
    demos.push(demo);
  }
  if (files.length < minDemos)
    problems.push({ file: 'content/demos', message: `has ${files.length} demos; at least ${minDemos}` });
  return { problems, demos };
}

export function readDemoFiles(root: string): { file: string; source: string }[] {
  const dir = join(root, 'content/demos');
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  } catch {
    return [];
  }
  return names.sort().map((file) => ({ file, source: readFileSync(join(dir, file), 'utf8') }));
}

export function readPresets(root: string): Map<string, PresetLike> {
  const dir = join(root, 'content/presets');
  const out = new Map<string, PresetLike>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
    try {
      out.set(f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, f), 'utf8')) as PresetLike);
    } catch {
      // The preset rules report a malformed preset file; here it is simply not a preset a demo can name.
    }
  }
  return out;
}

export function demoDirProblems(root: string, concepts: { file: string }[]): DemoProblem[] {
  const ids = new Set(concepts.map((c) => c.file.replace(/\.md$/, '')));
  return validateDemos(readDemoFiles(root), demoContext(readPresets(root), ids)).problems;
}
