// The map's search: a combobox with suggestions. Arrow keys or a click focus a concept on the map; Enter opens the
// highlighted suggestion (or the best match); Escape clears.
import { useId, useMemo, useState } from 'react';
import { searchConcepts } from './search';

export interface SearchItem {
  id: string;
  title: string;
  summary?: string;
  group: string;
  /** Shown only in the expanded view. */
  expandedOnly: boolean;
}

interface Props {
  items: SearchItem[];
  onFocusConcept(id: string | null): void;
  onOpen(id: string): void;
}

export function SearchBox({ items, onFocusConcept, onOpen }: Props) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listId = useId();
  const results = useMemo(() => searchConcepts(items, query), [items, query]);
  const optionId = (i: number) => `${listId}-opt-${i}`;

  const pick = (i: number) => {
    const item = results[i];
    if (!item) return;
    setActive(i);
    onFocusConcept(item.id);
  };

  return (
    <div className="map-search" data-no-pan>
      <svg className="map-search-icon" width="16" height="16" viewBox="0 0 24 24" aria-hidden="true">
        <circle cx="11" cy="11" r="7" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="m20 20-3.5-3.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <input
        type="search"
        role="combobox"
        aria-label="Find a concept"
        aria-autocomplete="list"
        aria-expanded={open && results.length > 0}
        aria-controls={listId}
        aria-activedescendant={open && results.length ? optionId(active) : undefined}
        placeholder="Find a concept…"
        value={query}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => {
          const q = e.target.value;
          setQuery(q);
          setOpen(true);
          setActive(0);
          const best = searchConcepts(items, q, 1)[0];
          // Typing previews the best match when it is on the current view; choosing one moves views if needed.
          if (best && !best.expandedOnly) onFocusConcept(best.id);
          if (!q) onFocusConcept(null);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setOpen(true);
            if (!results.length) return;
            const n = results.length;
            pick((active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
          } else if (e.key === 'Enter') {
            const item = results[active] ?? results[0];
            if (item) {
              e.preventDefault();
              onOpen(item.id);
            }
          } else if (e.key === 'Escape') {
            if (query) {
              e.preventDefault();
              setQuery('');
              onFocusConcept(null);
            }
            setOpen(false);
          }
        }}
      />
      {open && results.length > 0 && (
        <div className="map-suggestions" id={listId} role="listbox" aria-label="Matching concepts">
          {results.map((r, i) => (
            <div
              key={r.id}
              id={optionId(i)}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              className={i === active ? 'is-active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault(); // keep the input focused
                pick(i);
              }}
              onDoubleClick={() => onOpen(r.id)}
            >
              <span className="map-suggestion-title">{r.title}</span>
              <span className="map-suggestion-meta">
                {r.group}
                {r.expandedOnly ? ' · expanded view' : ''}
              </span>
            </div>
          ))}
        </div>
      )}
      {open && query.trim() && results.length === 0 && (
        <p className="map-suggestions map-no-match" role="status">
          No concept matches “{query.trim()}”.
        </p>
      )}
    </div>
  );
}
