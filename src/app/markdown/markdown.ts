// A small Markdown reader for concept pages: exactly the subset content/README.md allows, parsed to a tree that
// Markdown.tsx renders. Blocks: ATX headings (with anchor ids), paragraphs, bullet and numbered lists, fenced code,
// display math ($$ ... $$, possibly over several lines), pipe tables, block quotes, rules. Inlines: **bold**,
// *italic* / _italic_, `code`, $math$, [text](url) and [text](concept:id#section), backslash escapes.
// It does not aim at CommonMark; it aims at our pages, and never emits raw HTML.

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong' | 'em'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'math'; tex: string }
  | { type: 'link'; href: string; concept?: string; children: Inline[] };

export type Block =
  | { type: 'heading'; level: number; id: string; text: string; children: Inline[] }
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { type: 'code'; lang: string; text: string }
  | { type: 'math'; tex: string }
  | { type: 'table'; align: ('left' | 'center' | 'right' | null)[]; head: Inline[][]; rows: Inline[][][] }
  | { type: 'quote'; children: Block[] }
  | { type: 'rule' };

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*_$\\]/g, '')
    .replace(/[^a-z0-9\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .replace(/-+/g, '-');
}

/** Plain text of inlines (for heading ids and labels). */
export function plainText(inlines: Inline[]): string {
  return inlines
    .map((n) => (n.type === 'text' || n.type === 'code' ? n.text : n.type === 'math' ? n.tex : plainText(n.children)))
    .join('');
}

// --- blocks ---------------------------------------------------------------------------------------------------------

const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const NUMBERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const FENCE = /^\s{0,3}(```|~~~)\s*([\w-]*)\s*$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const TABLE_SEP = /^(?=.*\|)\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  const usedIds = new Map<string, number>();
  let i = 0;

  const uniqueId = (base: string) => {
    const id = base || 'section';
    const n = usedIds.get(id) ?? 0;
    usedIds.set(id, n + 1);
    return n ? `${id}-${n}` : id;
  };

  const isBlockStart = (line: string, next?: string) =>
    HEADING.test(line) ||
    FENCE.test(line) ||
    /^\s*\$\$/.test(line) ||
    BULLET.test(line) ||
    NUMBERED.test(line) ||
    /^\s{0,3}>/.test(line) ||
    /^\s{0,3}(-{3,}|\*{3,})\s*$/.test(line) ||
    (line.includes('|') && next !== undefined && TABLE_SEP.test(next));

  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const children = parseInline(heading[2]);
      const text = plainText(children);
      blocks.push({ type: 'heading', level: heading[1].length, id: uniqueId(slugify(text)), text, children });
      i++;
      continue;
    }

    const fenceMatch = FENCE.exec(line);
    if (fenceMatch) {
      const fence = fenceMatch[1];
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence)) body.push(lines[i++]);
      i++;
      blocks.push({ type: 'code', lang: fenceMatch[2], text: body.join('\n') });
      continue;
    }

    if (/^\s*\$\$/.test(line)) {
      // $$ on its own line(s), or $$ tex $$ on one line.
      const rest = line.trim().slice(2);
      if (rest.endsWith('$$') && rest.length >= 2) {
        blocks.push({ type: 'math', tex: rest.slice(0, -2).trim() });
        i++;
        continue;
      }
      const body: string[] = rest ? [rest] : [];
      i++;
      while (i < lines.length && !lines[i].includes('$$')) body.push(lines[i++]);
      if (i < lines.length) {
        const last = lines[i].slice(0, lines[i].indexOf('$$')).trim();
        if (last) body.push(last);
        i++;
      }
      blocks.push({ type: 'math', tex: body.join('\n').trim() });
      continue;
    }

    if (/^\s{0,3}(-{3,}|\*{3,})\s*$/.test(line)) {
      blocks.push({ type: 'rule' });
      i++;
      continue;
    }

    if (/^\s{0,3}>/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^\s{0,3}>/.test(lines[i])) body.push(lines[i++].replace(/^\s{0,3}>\s?/, ''));
      blocks.push({ type: 'quote', children: parseMarkdown(body.join('\n')) });
      continue;
    }

    if (line.includes('|') && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1])) {
      const head = splitRow(line);
      const align = splitRow(lines[i + 1]).map((c) => {
        const l = c.startsWith(':');
        const r = c.endsWith(':');
        return l && r ? 'center' : r ? 'right' : l ? 'left' : null;
      });
      i += 2;
      const rows: Inline[][][] = [];
      while (i < lines.length && lines[i].includes('|') && lines[i].trim()) {
        const cells = splitRow(lines[i++]);
        rows.push(head.map((_, c) => parseInline(cells[c] ?? '')));
      }
      blocks.push({ type: 'table', align, head: head.map(parseInline), rows });
      continue;
    }

    const bullet = BULLET.test(line);
    if (bullet || NUMBERED.test(line)) {
      const itemRe = bullet ? BULLET : NUMBERED;
      const start = bullet ? 1 : Number(NUMBERED.exec(line)?.[1] ?? 1);
      const items: string[] = [];
      while (i < lines.length) {
        const l = lines[i];
        const im = itemRe.exec(l);
        if (im) {
          items.push(bullet ? im[1] : im[2]);
          i++;
        } else if (l.trim() && /^\s+/.test(l) && !isBlockStart(l.trim())) {
          items[items.length - 1] += ` ${l.trim()}`; // continuation line
          i++;
        } else if (!l.trim() && i + 1 < lines.length && itemRe.test(lines[i + 1])) {
          i++; // loose list: a blank line between items
        } else break;
      }
      blocks.push({ type: 'list', ordered: !bullet, start, items: items.map(parseInline) });
      continue;
    }

    const para: string[] = [line.trim()];
    i++;
    while (i < lines.length && lines[i].trim() && !isBlockStart(lines[i], lines[i + 1])) para.push(lines[i++].trim());
    blocks.push({ type: 'paragraph', children: parseInline(para.join(' ')) });
  }
  return blocks;
}

/** Splits a table row on pipes that are not inside code, math or escapes. */
function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = '';
  let inCode = false;
  let inMath = false;
  for (let k = 0; k < s.length; k++) {
    const ch = s[k];
    if (ch === '\\' && k + 1 < s.length) {
      cur += s[k + 1] === '|' ? '|' : ch + s[k + 1];
      k++;
      continue;
    }
    if (ch === '`' && !inMath) inCode = !inCode;
    else if (ch === '$' && !inCode) inMath = !inMath;
    if (ch === '|' && !inCode && !inMath) {
      cells.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

// --- inlines --------------------------------------------------------------------------------------------------------

export function parseInline(src: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ type: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i];

    if (ch === '\\' && i + 1 < src.length && /[\\`*_{}[\]()#+\-.!$|~<>]/.test(src[i + 1])) {
      text += src[i + 1];
      i += 2;
      continue;
    }

    if (ch === '`') {
      const ticks = /^`+/.exec(src.slice(i))?.[0] ?? '`';
      const end = src.indexOf(ticks, i + ticks.length);
      if (end > 0) {
        flush();
        out.push({ type: 'code', text: src.slice(i + ticks.length, end).trim() });
        i = end + ticks.length;
        continue;
      }
    }

    if (ch === '$') {
      const double = src[i + 1] === '$';
      const delim = double ? '$$' : '$';
      const end = findClosingDollar(src, i + delim.length, delim);
      if (end > i + delim.length) {
        flush();
        out.push({ type: 'math', tex: src.slice(i + delim.length, end).trim() });
        i = end + delim.length;
        continue;
      }
    }

    if (ch === '[') {
      const close = matchingBracket(src, i);
      if (close > 0 && src[close + 1] === '(') {
        const end = src.indexOf(')', close + 2);
        if (end > 0) {
          flush();
          const href = src.slice(close + 2, end).trim();
          const children = parseInline(src.slice(i + 1, close));
          const concept = /^concept:([\w-]+)/.exec(href)?.[1];
          if (concept) {
            const hash = href.includes('#') ? href.slice(href.indexOf('#')) : '';
            out.push({ type: 'link', href: `/concepts/${concept}${hash}`, concept, children });
          } else out.push({ type: 'link', href, children });
          i = end + 1;
          continue;
        }
      }
    }

    if (ch === '*' || ch === '_') {
      const strong = src[i + 1] === ch;
      const delim = strong ? ch + ch : ch;
      // Underscores inside words (snake_case) are not emphasis.
      const intraword = ch === '_' && i > 0 && /\w/.test(src[i - 1]);
      const opensOnWord = i + delim.length < src.length && !/\s/.test(src[i + delim.length]);
      if (!intraword && opensOnWord) {
        const end = findClosing(src, i + delim.length, delim);
        if (end > 0) {
          flush();
          out.push({ type: strong ? 'strong' : 'em', children: parseInline(src.slice(i + delim.length, end)) });
          i = end + delim.length;
          continue;
        }
      }
    }

    text += ch;
    i++;
  }
  flush();
  return out;
}

function findClosingDollar(src: string, from: number, delim: string): number {
  for (let k = from; k < src.length; k++) {
    if (src[k] === '\\') {
      k++;
      continue;
    }
    if (src.startsWith(delim, k)) {
      // "$5 and $6" is money, not math: a single-dollar span may not start or end on a space.
      if (delim === '$' && (/\s/.test(src[from]) || /\s/.test(src[k - 1]))) return -1;
      return k;
    }
  }
  return -1;
}

function findClosing(src: string, from: number, delim: string): number {
  for (let k = from; k < src.length; k++) {
    const c = src[k];
    if (c === '\\') {
      k++;
      continue;
    }
    if (c === '`' || c === '$') {
      const end = src.indexOf(c, k + 1);
      if (end > 0) k = end;
      continue;
    }
    if (src.startsWith(delim, k) && !/\s/.test(src[k - 1])) {
      if (delim.length === 1 && src[k + 1] === delim) {
        k++; // skip a nested strong marker inside em
        continue;
      }
      if (delim === '_' && k + 1 < src.length && /\w/.test(src[k + 1])) continue;
      return k;
    }
  }
  return -1;
}

function matchingBracket(src: string, open: number): number {
  let depth = 0;
  for (let k = open; k < src.length; k++) {
    if (src[k] === '\\') {
      k++;
      continue;
    }
    if (src[k] === '[') depth++;
    else if (src[k] === ']' && --depth === 0) return k;
  }
  return -1;
}
