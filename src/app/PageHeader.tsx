import type { ReactNode } from 'react';

export function PageHeader({ eyebrow, title, children }: { eyebrow?: string; title: string; children?: ReactNode }) {
  return (
    <header className="page-header">
      {eyebrow && <p className="eyebrow">{eyebrow}</p>}
      <h1>{title}</h1>
      {children && <div className="lede">{children}</div>}
    </header>
  );
}

/** A card listing what a page will hold, for routes whose feature arrives in a later release. */
export function ComingUp({ title, items }: { title: string; items: { name: string; text: string }[] }) {
  return (
    <section className="coming-up" aria-label={title}>
      <h2>{title}</h2>
      <ul className="feature-grid">
        {items.map((item) => (
          <li key={item.name} className="feature-card">
            <h3>{item.name}</h3>
            <p>{item.text}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
