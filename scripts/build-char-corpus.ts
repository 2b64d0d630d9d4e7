// Writes public/data/kjv-genesis-exodus.txt: Genesis and Exodus of the King James Version (public domain; the
// translation dates from 1611), about 370 KB of plain text for a tiny character-level model (engine/data/sequences.ts
// charCorpus). The text comes from Debian's bible-kjv-text package through its reader, bible-kjv's `bible`:
//   apt-get install bible-kjv        (pulls bible-kjv-text)
//   npm run corpus:chars
// BIBLE_BIN and BIBLE_DATA override the reader and the directory of bible.data (e.g. for packages unpacked with
// `dpkg -x` instead of installed). Verse numbers and chapter headings are dropped; each chapter is one paragraph.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const OUT = join(import.meta.dirname, '..', 'public', 'data', 'kjv-genesis-exodus.txt');
const bin = process.env.BIBLE_BIN ?? 'bible';
const data = process.env.BIBLE_DATA ?? '/usr/lib';
const BOOKS = [
  ['Genesis', 'gen1:1-gen50:26'],
  ['Exodus', 'exo1:1-exo40:38'],
] as const;

function chapters(spec: string): string[] {
  let raw: string;
  try {
    raw = execFileSync(bin, ['-l10000', '-p', data, spec], { encoding: 'utf8', maxBuffer: 1 << 26 });
  } catch (e) {
    throw new Error(`could not run '${bin}' (apt-get install bible-kjv, or set BIBLE_BIN and BIBLE_DATA): ${e}`);
  }
  // The reader prints "<Book> <n>" headings, then one "  <verse> <text>" line per verse (long lines unwrapped by -l).
  const out: string[] = [];
  let cur: string[] = [];
  for (const line of raw.split('\n')) {
    const verse = /^\s*\d+\s+(.*)$/.exec(line);
    if (verse) cur.push(verse[1].trim());
    else if (line.trim() !== '' && cur.length > 0) {
      out.push(cur.join(' '));
      cur = [];
    }
  }
  if (cur.length > 0) out.push(cur.join(' '));
  return out;
}

const text = BOOKS.map(([name, spec]) => `${name}\n\n${chapters(spec).join('\n\n')}\n`).join('\n');
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, text);
console.log(`wrote ${OUT}: ${text.length} characters, ${new Set(text).size} distinct`);
