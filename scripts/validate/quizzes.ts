// The quiz rules of the content validator: content/quizzes/<id>.yaml in the format of content/README.md ("Practice
// content"). Pure functions of the file texts (validateQuizzes), so quizzes.test.ts checks each rule on small
// in-memory cases; quizDirProblems reads the folder for scripts/validate-content.ts.
//
// Checked: quiz id = file name, a title, concepts and every question's concept resolve to concept pages, question ids
// are unique across all quizzes and lowercase-with-hyphens, a known type and a prompt; mc: at least 3 options, exactly
// one correct, an explanation for every option, a concept; short: an answer and a rubric; essay: an outline and a
// rubric; every $...$ / $$...$$ in any text renders with KaTeX; in all, at least MIN_MC mc questions.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import katex from 'katex';
import { parseQuiz, QUESTION_TYPES, type Quiz } from '../../src/state/quizParse';

export interface QuizProblem {
  file: string;
  message: string;
}

export const MIN_MC = 40;
export const MIN_OPTIONS = 3;
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function validateQuizzes(
  files: { file: string; source: string }[],
  conceptIds: ReadonlySet<string>,
  { minMc = MIN_MC }: { minMc?: number } = {},
): QuizProblem[] {
  const problems: QuizProblem[] = [];
  const seen = new Map<string, string>();
  let mc = 0;
  for (const { file, source } of files) {
    const path = `content/quizzes/${file}`;
    const report = (message: string) => problems.push({ file: path, message });
    let quiz: Quiz;
    try {
      quiz = parseQuiz(source);
    } catch (e) {
      report((e as Error).message);
      continue;
    }
    const fileId = file.replace(/\.ya?ml$/, '');
    if (quiz.quiz !== fileId) report(`quiz id "${quiz.quiz}" differs from the file name "${fileId}"`);
    if (!quiz.title) report('no title');
    for (const c of quiz.concepts) if (!conceptIds.has(c)) report(`concept "${c}" has no concept page`);
    if (!quiz.questions.length) report('no questions');
    quiz.questions.forEach((q, i) => {
      const at = `question ${q.id || i + 1}`;
      const say = (m: string) => report(`${at}: ${m}`);
      if (!q.id) say('no id');
      else if (!ID.test(q.id)) say('id is not lowercase-with-hyphens');
      else if (seen.has(q.id)) say(`id also used in ${seen.get(q.id)}`);
      else seen.set(q.id, path);
      if (!(QUESTION_TYPES as readonly string[]).includes(q.type)) {
        say(`type "${q.type}" is not one of ${QUESTION_TYPES.join(', ')}`);
        return;
      }
      if (!q.prompt) say('no prompt');
      if (q.concept !== undefined && q.concept !== '' && !conceptIds.has(q.concept)) {
        say(`concept "${q.concept}" has no concept page`);
      }
      const texts: [string, string][] = [['prompt', q.prompt]];
      if (q.type === 'mc') {
        mc++;
        if (!q.concept) say('an mc question needs a concept (the page it is a check question on)');
        if (q.options.length < MIN_OPTIONS) say(`has ${q.options.length} options (at least ${MIN_OPTIONS})`);
        const correct = q.options.filter((o) => o.correct).length;
        if (correct !== 1) say(`has ${correct} correct options (exactly one)`);
        q.options.forEach((o, j) => {
          if (!o.text) say(`option ${j + 1} has no text`);
          if (!o.explanation) say(`option ${j + 1} has no explanation`);
          texts.push([`option ${j + 1}`, o.text], [`option ${j + 1} explanation`, o.explanation]);
        });
        const dup = q.options.map((o) => o.text).find((t, j, all) => t && all.indexOf(t) !== j);
        if (dup) say(`option "${dup}" appears twice`);
      } else if (q.type === 'short') {
        if (!q.answer) say('a short question needs an answer');
        if (!q.rubric.length) say('a short question needs a rubric');
        texts.push(['answer', q.answer]);
      } else {
        if (!q.outline.length) say('an essay question needs an outline');
        if (!q.rubric.length) say('an essay question needs a rubric');
        texts.push(...q.outline.map((t, j): [string, string] => [`outline ${j + 1}`, t]));
      }
      if (q.type !== 'mc') texts.push(...q.rubric.map((t, j): [string, string] => [`rubric ${j + 1}`, t]));
      for (const [where, text] of texts) {
        for (const { tex, display } of mathIn(text)) {
          const err = katexError(tex, display);
          if (err) say(`${where}: math $${tex}$ does not render: ${err}`);
        }
      }
    });
  }
  if (mc < minMc) problems.push({ file: 'content/quizzes', message: `${mc} mc questions in all (at least ${minMc})` });
  return problems;
}

function katexError(tex: string, display: boolean): string | undefined {
  try {
    katex.renderToString(tex, { throwOnError: true, displayMode: display, strict: 'ignore' });
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^KaTeX parse error: /, '').split('\n')[0];
  }
}

/** $$display$$ and $inline$ math in a text, outside backtick code; `\$` is a literal dollar. */
export function mathIn(text: string): { tex: string; display: boolean }[] {
  const out: { tex: string; display: boolean }[] = [];
  const rest = text.replace(/`[^`\n]*`/g, ' ').replace(/\$\$([\s\S]+?)\$\$/g, (_, tex: string) => {
    out.push({ tex: tex.trim(), display: true });
    return ' ';
  });
  for (const m of rest.matchAll(/(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?!\d)/g)) {
    out.push({ tex: m[1], display: false });
  }
  return out;
}

/** The quiz files of content/quizzes (sorted), for the command line. */
export function readQuizFiles(root: string): { file: string; source: string }[] {
  const dir = join(root, 'content/quizzes');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => ({ file, source: readFileSync(join(dir, file), 'utf8') }));
}

/** Every quiz problem under root, given the concept pages' file names ("dropout.md"). */
export function quizDirProblems(root: string, conceptFiles: { file: string }[]): QuizProblem[] {
  const ids = new Set(conceptFiles.map((c) => c.file.replace(/\.md$/, '')));
  return validateQuizzes(readQuizFiles(root), ids);
}
