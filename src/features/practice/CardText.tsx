// Card text: the small Markdown a card may hold (paragraphs, **bold**, *italic*, `code`) with KaTeX math, inline
// $...$ and display $$...$$. KaTeX and its stylesheet load on first use; the TeX source shows until then.
import { Fragment, type ReactNode, useEffect, useMemo, useState } from 'react';

type Katex = typeof import('katex').default;
let katex: Katex | undefined;
let loading: Promise<Katex> | undefined;

function loadKatex(): Promise<Katex> {
  loading ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(([m]) => {
    katex = m.default;
    return katex;
  });
  return loading;
}

function useKatex(): Katex | undefined {
  const [k, setK] = useState<Katex | undefined>(katex);
  useEffect(() => {
    if (!k) loadKatex().then(setK, () => undefined);
  }, [k]);
  return k;
}

export function TexMath({ tex, display = false, label }: { tex: string; display?: boolean; label?: string }) {
  const k = useKatex();
  const html = useMemo(
    () => k?.renderToString(tex, { displayMode: display, throwOnError: false, strict: 'ignore' }),
    [k, tex, display],
  );
  const Tag = display ? 'div' : 'span';
  if (!html)
    return (
      <Tag className={`${display ? 'card-math-display' : 'card-math'} math-pending`}>
        <code>{tex}</code>
      </Tag>
    );
  return (
    <Tag
      className={display ? 'card-math-display' : 'card-math'}
      aria-label={label}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX escapes its input; the HTML is its own markup
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

const INLINE = /(\$\$[^$]+\$\$|\$[^$\n]+\$|\*\*[^*]+\*\*|\*[^*\s][^*]*\*|_[^_\s][^_]*_|`[^`]+`)/g;

export function Inline({ text }: { text: string }): ReactNode {
  const parts = text.split(INLINE);
  return parts.map((p, i) => {
    const key = `${i}`;
    if (i % 2 === 0) return <Fragment key={key}>{p}</Fragment>;
    if (p.startsWith('$$')) return <TexMath key={key} tex={p.slice(2, -2)} display />;
    if (p.startsWith('$')) return <TexMath key={key} tex={p.slice(1, -1)} />;
    if (p.startsWith('**')) return <strong key={key}>{p.slice(2, -2)}</strong>;
    if (p.startsWith('`')) return <code key={key}>{p.slice(1, -1)}</code>;
    return <em key={key}>{p.slice(1, -1)}</em>;
  });
}

/** Paragraphs (split on blank lines) of inline Markdown and math. */
export function CardText({ text }: { text: string }) {
  const paras = text.trim().split(/\n\s*\n/);
  return (
    <>
      {paras.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static text
        <p key={i}>
          <Inline text={p} />
        </p>
      ))}
    </>
  );
}
