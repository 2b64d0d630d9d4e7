import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Block, type Inline, parseInline, parseMarkdown } from './markdown';

describe('inline markdown', () => {
  it('reads emphasis, code, math and links', () => {
    expect(parseInline('a **bold** and *it* with `x*y` and $a_b * c$')).toEqual([
      { type: 'text', text: 'a ' },
      { type: 'strong', children: [{ type: 'text', text: 'bold' }] },
      { type: 'text', text: ' and ' },
      { type: 'em', children: [{ type: 'text', text: 'it' }] },
      { type: 'text', text: ' with ' },
      { type: 'code', text: 'x*y' },
      { type: 'text', text: ' and ' },
      { type: 'math', tex: 'a_b * c' },
    ]);
  });

  it('turns concept links into routes and keeps section anchors', () => {
    expect(parseInline('[ResNet](concept:resnet#key-points)')).toEqual([
      {
        type: 'link',
        href: '/concepts/resnet#key-points',
        concept: 'resnet',
        children: [{ type: 'text', text: 'ResNet' }],
      },
    ]);
  });

  it('leaves snake_case and lone dollars alone', () => {
    expect(parseInline('use model_eval and pay $5 or $6')).toEqual([
      { type: 'text', text: 'use model_eval and pay $5 or $6' },
    ]);
  });
});

describe('block markdown', () => {
  it('reads headings with ids, lists, tables and display math', () => {
    const blocks = parseMarkdown(
      [
        '## Key points',
        '',
        '- one',
        '  continued',
        '- two',
        '',
        '1. first',
        '2. second',
        '',
        '| a | b |',
        '|---|:-:|',
        '| $|x|$ | `a|b` |',
        '',
        '$$',
        'x = 1',
        '$$',
        '## Key points',
      ].join('\n'),
    );
    expect(blocks.map((b) => b.type)).toEqual(['heading', 'list', 'list', 'table', 'math', 'heading']);
    expect(blocks[0]).toMatchObject({ id: 'key-points', level: 2 });
    expect(blocks[5]).toMatchObject({ id: 'key-points-1' });
    expect(blocks[1]).toMatchObject({ ordered: false, items: [[{ text: 'one continued' }], [{ text: 'two' }]] });
    const table = blocks[3] as Extract<Block, { type: 'table' }>;
    expect(table.align).toEqual([null, 'center']);
    expect(table.rows[0]).toEqual([[{ type: 'math', tex: '|x|' }], [{ type: 'code', text: 'a|b' }]]);
    expect(blocks[4]).toEqual({ type: 'math', tex: 'x = 1' });
  });

  it('reads every concept page without leaving markup behind', () => {
    const dir = 'content/concepts';
    const leftovers: string[] = [];
    const walk = (nodes: Inline[], file: string) => {
      for (const n of nodes) {
        if (n.type === 'text' && /\*\*|\$|\]\(/.test(n.text)) leftovers.push(`${file}: ${n.text.slice(0, 60)}`);
        if ('children' in n) walk(n.children, file);
      }
    };
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
      const body = readFileSync(`${dir}/${f}`, 'utf8').split(/^---$/m).slice(2).join('---');
      for (const b of parseMarkdown(body)) {
        if (b.type === 'paragraph' || b.type === 'heading') walk(b.children, f);
        if (b.type === 'list') for (const item of b.items) walk(item, f);
        if (b.type === 'table') for (const row of [b.head, ...b.rows]) for (const c of row) walk(c, f);
      }
    }
    expect(leftovers).toEqual([]);
  });
});
