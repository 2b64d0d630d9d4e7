// The page outline: a sticky table of contents beside the text on wide screens that marks the section in view, and
// a collapsed "On this page" disclosure above the text on phones. Also the section-tracking hook both share.
import { useEffect, useState } from 'react';

export interface OutlineItem {
  id: string;
  title: string;
}

/** The id of the section whose heading was passed last while scrolling (the first one at the top). */
export function useActiveSection(ids: string[]): string | undefined {
  const [active, setActive] = useState<string | undefined>(ids[0]);
  const key = ids.join(' ');
  useEffect(() => {
    const list = key.split(' ').filter(Boolean);
    let frame = 0;
    const update = () => {
      frame = 0;
      const headerH =
        Number.parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--header-h')) || 64;
      const line = headerH + 120;
      let current = list[0];
      for (const id of list) {
        const el = document.getElementById(id);
        if (el && el.getBoundingClientRect().top <= line) current = id;
      }
      // At the very bottom the last short sections can never reach the line: take the last one.
      if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 4)
        current = list[list.length - 1];
      setActive(current);
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(update);
    };
    update();
    window.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
    return () => {
      window.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [key]);
  return active;
}

export function scrollToSection(id: string): void {
  const el = document.getElementById(id);
  if (!el) return;
  el.scrollIntoView({ behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
  history.replaceState(history.state, '', `#${id}`);
}

function Items({ items, active, onPick }: { items: OutlineItem[]; active?: string; onPick?: () => void }) {
  return (
    <ol className="outline-list">
      {items.map((item) => (
        <li key={item.id}>
          <a
            href={`#${item.id}`}
            className="outline-link"
            aria-current={item.id === active ? 'location' : undefined}
            onClick={(e) => {
              e.preventDefault();
              scrollToSection(item.id);
              onPick?.();
            }}
          >
            {item.title}
          </a>
        </li>
      ))}
    </ol>
  );
}

export function KeyHint() {
  return (
    <div className="key-hint">
      <span>
        <kbd>j</kbd>
        <kbd>k</kbd> next / previous section
      </span>
      <span>
        <kbd>←</kbd>
        <kbd>→</kbd> previous / next concept
      </span>
    </div>
  );
}

export function OutlineAside({ items, active }: { items: OutlineItem[]; active?: string }) {
  return (
    <nav className="outline outline-aside" aria-label="On this page">
      <p className="outline-title">On this page</p>
      <Items items={items} active={active} />
      <KeyHint />
    </nav>
  );
}

export function OutlineDisclosure({ items, active }: { items: OutlineItem[]; active?: string }) {
  const [open, setOpen] = useState(false);
  const current = items.find((i) => i.id === active);
  return (
    <details
      className="outline outline-disclosure"
      open={open}
      onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
    >
      <summary>
        <span className="outline-title">On this page</span>
        {current && <span className="outline-current">{current.title}</span>}
      </summary>
      <Items items={items} active={active} onPick={() => setOpen(false)} />
    </details>
  );
}
