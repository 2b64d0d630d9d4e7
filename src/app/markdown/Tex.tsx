// TeX rendered with KaTeX, which (with its stylesheet and fonts) loads on first use, so only pages with math pay
// for it. Until it arrives, the source shows in a quiet monospace placeholder of about the same place.
import { useEffect, useMemo, useState } from 'react';

type Katex = typeof import('katex').default;

let katex: Katex | undefined;
let loading: Promise<Katex> | undefined;

export function loadKatex(): Promise<Katex> {
  loading ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(([m]) => {
    katex = m.default;
    return katex;
  });
  return loading;
}

export function useKatex(): Katex | undefined {
  const [k, setK] = useState<Katex | undefined>(katex);
  useEffect(() => {
    if (!k) loadKatex().then(setK, () => undefined);
  }, [k]);
  return k;
}

export function Tex({ tex, display = false }: { tex: string; display?: boolean }) {
  const k = useKatex();
  const html = useMemo(
    () => k?.renderToString(tex, { displayMode: display, throwOnError: false, strict: 'ignore' }),
    [k, tex, display],
  );
  if (!html) {
    return display ? (
      <div className="math-display math-pending">
        <code>{tex}</code>
      </div>
    ) : (
      <code className="math-pending">{tex}</code>
    );
  }
  // KaTeX escapes its input; the HTML is its own markup.
  return display ? (
    // biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX output
    <div className="math-display" dangerouslySetInnerHTML={{ __html: html }} />
  ) : (
    // biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX output
    <span className="math-inline" dangerouslySetInnerHTML={{ __html: html }} />
  );
}
