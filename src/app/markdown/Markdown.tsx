// Renders the Markdown tree of markdown.ts as React elements: no raw HTML, concept links through the router.
import { Fragment, type ReactNode } from 'react';
import { Link } from '../router';
import type { Block, Inline } from './markdown';
import { Tex } from './Tex';

export function MarkdownBlocks({ blocks }: { blocks: Block[] }) {
  return (
    <>
      {blocks.map((b, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: blocks of a static page
        <BlockView key={i} block={b} />
      ))}
    </>
  );
}

function BlockView({ block }: { block: Block }): ReactNode {
  switch (block.type) {
    case 'heading': {
      const H = `h${Math.min(6, block.level + (block.level === 1 ? 1 : 0))}` as 'h2';
      return (
        <H id={block.id} className="md-heading">
          <Inlines nodes={block.children} />
          <a className="md-anchor" href={`#${block.id}`} aria-label={`Link to “${block.text}”`}>
            #
          </a>
        </H>
      );
    }
    case 'paragraph':
      return (
        <p>
          <Inlines nodes={block.children} />
        </p>
      );
    case 'list': {
      const items = block.items.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static list
        <li key={i}>
          <Inlines nodes={item} />
        </li>
      ));
      return block.ordered ? <ol start={block.start === 1 ? undefined : block.start}>{items}</ol> : <ul>{items}</ul>;
    }
    case 'code':
      return (
        <pre className="md-code" data-lang={block.lang || undefined}>
          <code>{block.text}</code>
        </pre>
      );
    case 'math':
      return <Tex tex={block.tex} display />;
    case 'table':
      return (
        <div className="md-table-wrap">
          <table className="md-table">
            <thead>
              <tr>
                {block.head.map((cell, c) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: static table
                  <th key={c} style={{ textAlign: block.align[c] ?? undefined }}>
                    <Inlines nodes={cell} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, r) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: static table
                <tr key={r}>
                  {row.map((cell, c) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: static table
                    <td key={c} style={{ textAlign: block.align[c] ?? undefined }}>
                      <Inlines nodes={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'quote':
      return (
        <blockquote>
          <MarkdownBlocks blocks={block.children} />
        </blockquote>
      );
    case 'rule':
      return <hr />;
  }
}

export function Inlines({ nodes }: { nodes: Inline[] }) {
  return (
    <>
      {nodes.map((n, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static inline run
        <Fragment key={i}>{inline(n)}</Fragment>
      ))}
    </>
  );
}

function inline(n: Inline): ReactNode {
  switch (n.type) {
    case 'text':
      return n.text;
    case 'strong':
      return (
        <strong>
          <Inlines nodes={n.children} />
        </strong>
      );
    case 'em':
      return (
        <em>
          <Inlines nodes={n.children} />
        </em>
      );
    case 'code':
      return <code className="md-inline-code">{n.text}</code>;
    case 'math':
      return <Tex tex={n.tex} />;
    case 'link':
      if (n.concept)
        return (
          <Link to={n.href} className="concept-link" data-concept={n.concept}>
            <Inlines nodes={n.children} />
          </Link>
        );
      if (n.href.startsWith('#'))
        return (
          <a href={n.href}>
            <Inlines nodes={n.children} />
          </a>
        );
      return (
        <a href={n.href} target="_blank" rel="noreferrer noopener">
          <Inlines nodes={n.children} />
        </a>
      );
  }
}
