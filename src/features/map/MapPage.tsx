// The concept map page: the seed map (or the expanded map with every concept), coloured by the learner's progress,
// with a pathway highlighted as a route, a search that focuses a concept, and zoom and pan. The view state lives in
// the URL (?view=expanded&route=critical-path&focus=dropout) so it can be shared.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { PageHeader } from '../../app/PageHeader';
import { Link, navigate, useLocation } from '../../app/router';
import { useTheme } from '../../app/theme';
import {
  type Concept,
  type ConceptMap,
  loadConcepts,
  loadMap,
  loadPathways,
  type Pathway,
  stepConcepts,
} from '../../state/curriculum';
import { useContentIndex, useEvidence } from '../../state/evidence';
import { conceptStatus, initProgress, useProgress } from '../../state/progress';
import { MASTERY_RULES, masteryLevel } from '../../state/progressRules';
import { MapCanvas, MasteryPips, type NodeInfo, STATUS_LABEL } from './MapCanvas';
import { type MapUrlState, readMapUrl, writeMapUrl } from './mapUrl';
import { buildGraph, type ConceptStatus, LIGHT_PALETTE, type MapPalette, statusColors, toMermaid } from './mermaid';
import { SearchBox, type SearchItem } from './SearchBox';
import './map.css';

function readPalette(): MapPalette {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const p = LIGHT_PALETTE;
  return {
    dark: css.colorScheme === 'dark' || document.documentElement.dataset.theme === 'dark',
    surface: v('--surface', p.surface),
    surface2: v('--surface-2', p.surface2),
    border: v('--border', p.border),
    borderStrong: v('--border-strong', p.borderStrong),
    text: v('--text', p.text),
    text2: v('--text-2', p.text2),
    muted: v('--muted', p.muted),
    accent: v('--accent', p.accent),
    accentSoft: v('--accent-soft', p.accentSoft),
    ok: v('--ok', p.ok),
    okSoft: v('--ok-soft', p.okSoft),
  };
}

const GROUP_TITLE: Record<string, string> = {
  foundations: 'Network Foundations',
  optimization: 'Optimization',
  regularization: 'Regularization',
  normalization: 'Normalization',
  architectures: 'Advanced Architectures',
  generative: 'Generative Models',
  scale: 'Training at Scale',
};

function setMapUrl(next: MapUrlState) {
  const search = writeMapUrl(next, window.location.search);
  if (search === window.location.search) return;
  window.history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
  useLocation.setState({ search });
}

export default function MapPage() {
  const search = useLocation((s) => s.search);
  const url = useMemo(() => readMapUrl(search), [search]);
  const theme = useTheme((s) => s.effective);
  const progress = useProgress((s) => s.concepts);

  const [map, setMap] = useState<ConceptMap>();
  const [concepts, setConcepts] = useState<Map<string, Concept>>();
  const [pathways, setPathways] = useState<Pathway[]>([]);
  const [loadError, setLoadError] = useState<string>();

  useEffect(() => {
    void initProgress();
    const fail = (e: unknown) => setLoadError((e as Error).message);
    loadMap().then(setMap, fail);
    loadConcepts().then(setConcepts, fail);
    loadPathways().then(setPathways, fail);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the CSS tokens change with the theme
  const palette = useMemo(() => readPalette(), [theme]);

  const seedIds = useMemo(() => new Set(map?.nodes.map((n) => n.concept)), [map]);
  const view = url.view;
  const pathway = pathways.find((p) => p.id === url.route);
  const route = useMemo(() => (pathway ? pathway.steps.flatMap(stepConcepts) : []), [pathway]);

  const status = useCallback(
    (id: string): ConceptStatus =>
      conceptStatus(id, { concepts: progress, pathways: {}, activePathway: null, lastLocation: null }),
    [progress],
  );

  const evidence = useEvidence(useContentIndex(concepts));
  const mastery = useCallback((id: string) => masteryLevel(evidence(id)), [evidence]);

  const graph = useMemo(() => {
    if (!map || (view === 'expanded' && !concepts)) return undefined;
    return buildGraph(map, view, concepts);
  }, [map, view, concepts]);

  const diagram = useMemo(
    () =>
      map && graph
        ? toMermaid(map, graph, { palette, status, route, direction: view === 'expanded' ? 'LR' : 'TD' })
        : undefined,
    [map, graph, palette, status, route, view],
  );

  const info = useCallback(
    (id: string): NodeInfo | undefined => {
      const c = concepts?.get(id);
      const node = map?.nodes.find((n) => n.concept === id);
      const title = c?.title ?? node?.label;
      if (!title) return undefined;
      const group = c?.group ?? node?.group ?? '';
      return {
        title,
        group: GROUP_TITLE[group] ?? group,
        summary: c?.summary,
        status: status(id),
        mastery: mastery(id),
      };
    },
    [concepts, map, status, mastery],
  );

  const open = useCallback((id: string) => {
    // Remember the node so Back returns to it, then go to its page.
    setMapUrl({ ...readMapUrl(window.location.search), focus: id });
    navigate(`/concepts/${id}`);
  }, []);

  const focusConcept = useCallback(
    (id: string | null) => {
      const current = readMapUrl(window.location.search);
      const needsExpanded = !!id && current.view === 'seed' && !seedIds.has(id);
      setMapUrl({ ...current, focus: id, view: needsExpanded ? 'expanded' : current.view });
    },
    [seedIds],
  );

  const searchItems: SearchItem[] = useMemo(() => {
    if (!concepts) {
      return (map?.nodes ?? []).map((n) => ({
        id: n.concept,
        title: n.label,
        group: GROUP_TITLE[n.group] ?? n.group,
        expandedOnly: false,
      }));
    }
    return [...concepts.values()].map((c) => ({
      id: c.id,
      title: c.title,
      summary: c.summary,
      group: GROUP_TITLE[c.group] ?? c.group,
      expandedOnly: !seedIds.has(c.id),
    }));
  }, [concepts, map, seedIds]);

  const focusKey = (url.focus && graph?.keyOf.get(url.focus)) || null;
  const focusOffView = !!url.focus && !!graph && !focusKey && !!concepts?.has(url.focus);
  const counts = useMemo(() => {
    const ids = graph?.nodes.map((n) => n.concept) ?? [];
    return {
      total: ids.length,
      read: ids.filter((id) => status(id) === 'read').length,
      done: ids.filter((id) => status(id) === 'done').length,
    };
  }, [graph, status]);
  const colors = statusColors(palette);

  return (
    <div className="page map-page">
      <PageHeader eyebrow="Concept map" title="The map of deep learning">
        <p>
          How the core ideas of deep learning depend on each other. Hover a concept for its summary, click to read it,
          or light up a pathway as a route.
        </p>
      </PageHeader>

      <div className="map-toolbar">
        <SearchBox items={searchItems} onFocusConcept={focusConcept} onOpen={open} />
        <fieldset className="map-views">
          <legend className="visually-hidden">Map view</legend>
          {(['seed', 'expanded'] as const).map((v) => (
            <label key={v} className={view === v ? 'is-on' : undefined}>
              <input
                type="radio"
                name="map-view"
                value={v}
                checked={view === v}
                onChange={() => setMapUrl({ ...url, view: v })}
              />
              {v === 'seed' ? 'Core map' : 'Every concept'}
              <span className="map-count">{v === 'seed' ? (map?.nodes.length ?? 27) : (concepts?.size ?? '…')}</span>
            </label>
          ))}
        </fieldset>
        <label className="map-route-picker">
          <span className="visually-hidden">Highlight a pathway</span>
          <RouteIcon />
          <select
            value={url.route ?? ''}
            onChange={(e) => setMapUrl({ ...url, route: e.target.value || null })}
            aria-label="Highlight a pathway"
          >
            <option value="">Highlight a pathway…</option>
            {pathways.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title} ({p.steps.length} steps)
              </option>
            ))}
          </select>
        </label>
      </div>

      {loadError ? (
        <p className="map-error-box" role="alert">
          The map's content could not be loaded: {loadError}
        </p>
      ) : diagram && graph ? (
        <MapCanvas
          text={diagram.text}
          palette={palette}
          nodes={graph.nodes}
          edges={diagram.edges}
          edgeOnRoute={diagram.edgeOnRoute}
          layoutKey={`${view}|${url.route ?? ''}`}
          focusKey={focusKey}
          anchorKey={map?.nodes[0]?.key}
          info={info}
          onOpen={open}
          legend={
            <>
              <span className="map-legend-title">Your progress</span>
              {(['new', 'read', 'done'] as const).map((s) => (
                <span key={s} className="map-legend-item">
                  <span
                    className="map-swatch"
                    style={{ background: colors[s].fill, borderColor: colors[s].stroke }}
                    aria-hidden="true"
                  />
                  {STATUS_LABEL[s]}
                </span>
              ))}
              <span className="map-legend-title map-legend-gap">Mastery</span>
              {(['started', 'practised', 'mastered'] as const).map((m) => (
                <span key={m} className="map-legend-item" title={MASTERY_RULES[m].rule}>
                  <MasteryPips level={m} />
                  {MASTERY_RULES[m].label}
                </span>
              ))}
            </>
          }
        />
      ) : (
        <div className="map-frame" data-state="loading">
          <div className="map-overlay" role="status">
            <span className="spinner" aria-hidden="true" /> Loading the map…
          </div>
        </div>
      )}

      <div className="map-below">
        <p className="map-stats" data-testid="map-stats">
          {counts.total} concepts on this view · <strong>{counts.read}</strong> read · <strong>{counts.done}</strong>{' '}
          done
          {focusOffView && url.focus && (
            <>
              {' · '}
              <button type="button" className="link-button" onClick={() => setMapUrl({ ...url, view: 'expanded' })}>
                Show {concepts?.get(url.focus)?.title} in the expanded view
              </button>
            </>
          )}
        </p>
        <p className="map-hint">Drag to pan · scroll or pinch to zoom (or + − 0) · Tab to a concept, Enter opens it</p>
      </div>

      {pathway && (
        <RoutePanel
          pathway={pathway}
          status={status}
          offView={diagram?.offView ?? []}
          title={(id) => concepts?.get(id)?.title ?? id}
          onShowAll={() => setMapUrl({ ...url, view: 'expanded' })}
          onClear={() => setMapUrl({ ...url, route: null })}
          onFocus={focusConcept}
        />
      )}

      {map && <MapKey map={map} />}

      {concepts && map && <ConceptList map={map} concepts={concepts} status={status} seedIds={seedIds} />}
    </div>
  );
}

function RoutePanel(props: {
  pathway: Pathway;
  status(id: string): ConceptStatus;
  offView: string[];
  title(id: string): string;
  onShowAll(): void;
  onClear(): void;
  onFocus(id: string): void;
}) {
  const { pathway, status, offView, title, onShowAll, onClear, onFocus } = props;
  return (
    <section className="map-route feature-card" aria-label={`Route: ${pathway.title}`} data-testid="map-route">
      <div className="map-route-head">
        <div>
          <p className="eyebrow">Route on the map</p>
          <h2>{pathway.title}</h2>
          <p className="muted">
            Best for: {pathway.bestFor} · {pathway.sessions} sessions
          </p>
        </div>
        <div className="map-route-actions">
          <Link className="button button-primary" to={`/pathways/${pathway.id}`}>
            Open the pathway
          </Link>
          <button type="button" className="button" onClick={onClear}>
            Clear
          </button>
        </div>
      </div>
      {offView.length > 0 && (
        <p className="map-route-note">
          {offView.map(title).join(', ')} {offView.length === 1 ? 'is' : 'are'} only in the expanded view.{' '}
          <button type="button" className="link-button" onClick={onShowAll}>
            Show every step
          </button>
        </p>
      )}
      <ol className="map-route-steps">
        {pathway.steps.map((s, i) => {
          const ids = stepConcepts(s);
          const st = ids.every((id) => status(id) === 'done')
            ? 'done'
            : ids.some((id) => status(id) !== 'new')
              ? 'read'
              : 'new';
          return (
            <li key={`${s.concept}:${s.title}`} className={`status-${st}`}>
              <button type="button" className="map-route-step" onClick={() => onFocus(s.concept)}>
                <span className="map-route-num">{i + 1}</span>
                <span className="map-route-title">{s.title}</span>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function MapKey({ map }: { map: ConceptMap }) {
  const highlights: { stroke: string; meaning: string; labels: string[] }[] = [];
  for (const n of map.nodes) {
    if (!n.highlight) continue;
    const same = highlights.find((h) => h.meaning === n.highlight?.meaning);
    if (same) same.labels.push(n.label);
    else highlights.push({ stroke: n.highlight.stroke, meaning: n.highlight.meaning, labels: [n.label] });
  }
  const lines: { style: string; name: string; text: string }[] = [
    { style: 'primary', name: 'Primary', text: 'enables, uses, is optimised by' },
    { style: 'normal', name: 'Builds on', text: 'improves, extends, deepens' },
    { style: 'applies', name: 'Applies', text: 'requires, regularises, accelerates' },
    { style: 'has-part', name: 'Has part', text: 'contains, or expands into' },
  ];
  return (
    <section className="map-key" aria-label="How to read the map">
      <h2>How to read the map</h2>
      <ul className="map-key-list">
        {lines.map((l) => (
          <li key={l.style}>
            <svg width="56" height="14" viewBox="0 0 56 14" aria-hidden="true" className={`map-key-line ${l.style}`}>
              <line x1="2" y1="7" x2={l.style === 'has-part' ? 44 : 46} y2="7" />
              {l.style === 'has-part' ? <circle cx="49" cy="7" r="4" /> : <path d="M44 2 L53 7 L44 12 Z" />}
            </svg>
            <span>
              <strong>{l.name}</strong> <span className="muted">{l.text}</span>
            </span>
          </li>
        ))}
      </ul>
      <p className="map-key-highlights">
        Highlighted as in the seed map:{' '}
        {highlights.map((h, i) => (
          <span key={h.meaning}>
            <span className="map-hl" style={{ borderColor: h.stroke }}>
              {h.labels.join(', ')}
            </span>{' '}
            {h.meaning.toLowerCase()}
            {i < highlights.length - 1 ? ' · ' : ''}
          </span>
        ))}
      </p>
    </section>
  );
}

/** Every concept as a list by group: the map's text alternative, and a quick index on small screens. */
function ConceptList(props: {
  map: ConceptMap;
  concepts: Map<string, Concept>;
  status(id: string): ConceptStatus;
  seedIds: Set<string>;
}) {
  const { map, concepts, status, seedIds } = props;
  return (
    <details className="map-list">
      <summary>
        <span>All {concepts.size} concepts as a list</span>
        <span className="muted">by group, with your progress</span>
      </summary>
      <div className="map-list-groups">
        {map.groups.map((g) => {
          const members = [...concepts.values()]
            .filter((c) => c.group === g.id)
            .sort((a, b) => Number(seedIds.has(b.id)) - Number(seedIds.has(a.id)) || a.title.localeCompare(b.title));
          return (
            <section key={g.id} aria-label={g.title}>
              <h3>{g.title}</h3>
              <ul>
                {members.map((c) => {
                  const st = status(c.id);
                  return (
                    <li key={c.id} className={seedIds.has(c.id) ? 'is-seed' : undefined}>
                      <Link to={`/concepts/${c.id}`}>{c.title}</Link>
                      {st !== 'new' && <span className={`status-chip status-${st}`}>{STATUS_LABEL[st]}</span>}
                    </li>
                  );
                })}
              </ul>
            </section>
          );
        })}
      </div>
    </details>
  );
}

function RouteIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" className="map-route-icon">
      <circle cx="5" cy="18" r="2.5" fill="none" stroke="currentColor" strokeWidth="2" />
      <circle cx="19" cy="6" r="2.5" fill="none" stroke="currentColor" strokeWidth="2" />
      <path
        d="M7.5 18H15a3.5 3.5 0 0 0 0-7H9a3.5 3.5 0 0 1 0-7h7.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      />
    </svg>
  );
}
