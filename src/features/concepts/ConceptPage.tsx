// A concept page, built for reading and returning: header (group, centrality, summary, what to read first), the body
// with its figure and formulas, a sticky outline, links both ways, prev/next along the active pathway or the group,
// keyboard navigation, deep links to sections and reading completion recorded in the learner's progress.
import { Fragment, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { MarkdownBlocks } from '../../app/markdown/Markdown';
import { type Block, parseMarkdown } from '../../app/markdown/markdown';
import { loadKatex, Tex } from '../../app/markdown/Tex';
import { PageHeader } from '../../app/PageHeader';
import { Link, navigate } from '../../app/router';
import type { RouteProps } from '../../app/routes';
import {
  type Concept,
  type ConceptMap,
  loadConcept,
  loadConcepts,
  loadMap,
  loadPathways,
  type Pathway,
} from '../../state/curriculum';
import { isLivePreset, useContentIndex, useMastery } from '../../state/evidence';
import { presetById } from '../../state/presets';
import {
  initProgress,
  markConceptDone,
  markConceptRead,
  markStepDone,
  setLastLocation,
  unmarkConceptDone,
  unmarkStep,
  useConceptStatus,
  useProgress,
} from '../../state/progress';
import { MASTERY_LEVELS, MASTERY_RULES, type MasteryLevel } from '../../state/progressRules';
import { recordQuizAnswer } from '../../state/reviews';
import { MiniLab } from '../lab';
import { CHECK_SECTION_ID, CheckYourUnderstanding, hasCheckQuestions } from '../quiz';
import { ConceptFigure } from './ConceptFigure';
import { neighbours, readingSeconds, suggest, usedBy } from './conceptNav';
import { OutlineAside, OutlineDisclosure, type OutlineItem, scrollToSection, useActiveSection } from './Outline';
import { useReading } from './useReading';
import './concepts.css';

type Loaded =
  | { state: 'loading' }
  | { state: 'missing'; id: string; all: Map<string, Concept> }
  | { state: 'error'; message: string }
  | { state: 'ready'; concept: Concept; all: Map<string, Concept>; map?: ConceptMap; pathways: Pathway[] };

export default function ConceptPage({ params }: RouteProps) {
  const id = params.id ?? '';
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });

  useEffect(() => {
    let live = true;
    void initProgress();
    setLoaded({ state: 'loading' });
    Promise.all([
      loadConcept(id),
      loadConcepts(),
      loadMap().catch(() => undefined),
      loadPathways().catch(() => []),
    ]).then(
      ([concept, all, map, pathways]) => {
        if (!live) return;
        setLoaded(concept ? { state: 'ready', concept, all, map, pathways } : { state: 'missing', id, all });
      },
      (e: Error) => live && setLoaded({ state: 'error', message: e.message }),
    );
    return () => {
      live = false;
    };
  }, [id]);

  if (loaded.state === 'loading')
    return (
      <div className="page-loading" role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" /> Loading the concept…
      </div>
    );
  if (loaded.state === 'error')
    return (
      <div className="page">
        <PageHeader eyebrow="Concept" title="This page could not be loaded">
          <p>{loaded.message}</p>
        </PageHeader>
      </div>
    );
  if (loaded.state === 'missing') return <ConceptNotFound id={loaded.id} all={loaded.all} />;
  return <ConceptView key={loaded.concept.id} {...loaded} />;
}

const CENTRALITY_LABEL = { critical: 'Critical', high: 'High centrality', medium: 'Medium centrality', low: 'Low' };

interface Section {
  id: string;
  title: string;
  blocks: Block[];
}

/** Splits the body at its `##` headings; text before the first heading becomes an untitled lead section. */
function splitSections(blocks: Block[]): Section[] {
  const out: Section[] = [];
  for (const b of blocks) {
    if (b.type === 'heading' && b.level <= 2) out.push({ id: b.id, title: b.text, blocks: [b] });
    else if (out.length) out[out.length - 1].blocks.push(b);
    else out.push({ id: '', title: '', blocks: [b] });
  }
  return out;
}

function ConceptView({
  concept,
  all,
  map,
  pathways,
}: {
  concept: Concept;
  all: Map<string, Concept>;
  map?: ConceptMap;
  pathways: Pathway[];
}) {
  const status = useConceptStatus(concept.id);
  const mastery = useMastery(concept.id, useContentIndex(all));
  const activeId = useProgress((s) => s.activePathway);
  const storage = useProgress((s) => s.storage);
  const activePathway = pathways.find((p) => p.id === activeId);
  const groupTitle = map?.groups.find((g) => g.id === concept.group)?.title ?? concept.group;
  const nav = neighbours(concept, all, map, activePathway, groupTitle);
  const users = useMemo(() => usedBy(concept.id, all), [concept.id, all]);
  const sections = useMemo(() => splitSections(parseMarkdown(concept.body)), [concept.body]);

  const formulasAfter = sections.find((s) => /key points/i.test(s.title))?.id ?? sections.at(-1)?.id;
  const outline: OutlineItem[] = [];
  for (const s of sections) {
    if (s.id) outline.push({ id: s.id, title: s.title });
    if (s.id === formulasAfter && concept.formulas.length) outline.push({ id: 'formulas', title: 'Formulas' });
  }
  if (hasCheckQuestions(concept.id)) outline.push({ id: CHECK_SECTION_ID, title: 'Check your understanding' });
  outline.push({ id: 'connections', title: 'Connections' });
  const active = useActiveSection(outline.map((o) => o.id));

  // Progress: the visit, reading completion, and the active pathway's step for this concept.
  const stepIndex = activePathway ? activePathway.steps.findIndex((s) => s.concept === concept.id) : -1;
  useEffect(() => setLastLocation(`/concepts/${concept.id}`), [concept.id]);
  const endRef = useRef<HTMLDivElement>(null);
  const required = readingSeconds(concept.wordCount);
  const reading = useReading(concept.id, endRef, required, status === 'new', () => {
    markConceptRead(concept.id);
    if (activePathway && stepIndex >= 0) markStepDone(activePathway.id, stepIndex, 'read');
  });
  const toggleDone = () => {
    if (status === 'done') {
      unmarkConceptDone(concept.id);
      if (activePathway && stepIndex >= 0) unmarkStep(activePathway.id, stepIndex);
    } else {
      markConceptDone(concept.id);
      if (activePathway && stepIndex >= 0) markStepDone(activePathway.id, stepIndex, 'manual');
    }
  };

  // Deep links: scroll to #section once the page is drawn, and again once the math has its final size.
  useEffect(() => {
    const hash = decodeURIComponent(window.location.hash.slice(1));
    if (!hash) return;
    const go = () => requestAnimationFrame(() => document.getElementById(hash)?.scrollIntoView());
    go();
    const wait = new Promise((resolve) => setTimeout(resolve, 2000));
    Promise.race([loadKatex().then(() => document.fonts?.ready), wait]).then(go, go);
  }, []);

  // Keyboard: j/k or ]/[ move between sections, ←/→ between concepts.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const t = e.target as HTMLElement | null;
      if (t?.closest('input, textarea, select, [contenteditable="true"], .concept-figure, .md-table-wrap, .minilab'))
        return;
      const ids = outline.map((o) => o.id);
      const at = Math.max(0, ids.indexOf(active ?? ids[0]));
      if (e.key === 'j' || e.key === ']') scrollToSection(ids[Math.min(ids.length - 1, at + 1)]);
      else if (e.key === 'k' || e.key === '[') scrollToSection(ids[Math.max(0, at - 1)]);
      else if (e.key === 'ArrowRight' && nav.next) navigate(`/concepts/${nav.next.id}`);
      else if (e.key === 'ArrowLeft' && nav.prev) navigate(`/concepts/${nav.prev.id}`);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const chip = (cid: string) => <ConceptChip key={cid} id={cid} title={all.get(cid)?.title} />;

  return (
    <div className="concept-page">
      {nav.along === 'pathway' && nav.pathway && (
        <Link to={`/pathways/${nav.pathway.id}`} className="pathway-banner">
          <span className="pathway-banner-dot" aria-hidden="true" />
          {nav.label}
          <span className="pathway-banner-go">Open pathway →</span>
        </Link>
      )}
      <header className="concept-header">
        <p className="eyebrow concept-eyebrow">
          <Link to={`/map?focus=${concept.id}`}>{groupTitle}</Link>
        </p>
        <h1>{concept.title}</h1>
        <div className="concept-badges">
          {concept.centrality && (
            <span className={`badge badge-centrality badge-${concept.centrality}`}>
              {CENTRALITY_LABEL[concept.centrality]}
            </span>
          )}
          <span className={`badge badge-status status-${status}`} data-testid="concept-status">
            {status === 'done' ? '✓ Done' : status === 'read' ? '✓ Read' : 'Not read yet'}
          </span>
          <MasteryBadge level={mastery} />
          <span className="badge badge-quiet">{Math.max(1, Math.round(concept.wordCount / 200))} min read</span>
        </div>
        <p className="lede concept-summary">{concept.summary}</p>
        {concept.prerequisites.length > 0 && (
          <div className="chip-row">
            <span className="chip-row-label">Read first</span>
            {concept.prerequisites.map(chip)}
          </div>
        )}
      </header>

      <div className="concept-layout">
        <article className="concept-body">
          <OutlineDisclosure items={outline} active={active} />
          {sections.map((s, i) => (
            <Fragment key={s.id || 'lead'}>
              <section className="concept-section" aria-labelledby={s.id || undefined}>
                <MarkdownBlocks blocks={s.blocks} />
              </section>
              {i === 0 && concept.figure && <ConceptFigure figure={concept.figure} />}
              {s.id === formulasAfter && concept.formulas.length > 0 && (
                <section className="concept-section" aria-labelledby="formulas">
                  <h2 id="formulas" className="md-heading">
                    Formulas
                    <a className="md-anchor" href="#formulas" aria-label="Link to “Formulas”">
                      #
                    </a>
                  </h2>
                  <dl className="formula-list">
                    {concept.formulas.map((f) => (
                      <div key={f.label} className="formula">
                        <dt>{f.label}</dt>
                        <dd>
                          <Tex tex={f.tex} display />
                        </dd>
                      </div>
                    ))}
                  </dl>
                </section>
              )}
            </Fragment>
          ))}
          {/* The page's preset: live in a mini-lab when it is a 2-D one, otherwise a link that opens it in the Lab. */}
          {concept.labPreset &&
            (isLivePreset(concept.labPreset) ? (
              <MiniLab presetId={concept.labPreset} concept={concept.id} />
            ) : (
              <LabPresetLink id={concept.labPreset} />
            ))}
          <div ref={endRef} className="reading-end" aria-hidden="true" />
          <CheckYourUnderstanding conceptId={concept.id} onAnswer={recordQuizAnswer} />

          <section className="done-card" aria-label="Your progress">
            <div>
              <p className="done-title">
                {status === 'done'
                  ? 'Marked as done'
                  : status === 'read'
                    ? 'You have read this page'
                    : 'Finished with this concept?'}
              </p>
              <p className="done-note">
                {status === 'new'
                  ? reading.reachedEnd
                    ? `It counts as read after ${reading.required} s on the page (${Math.min(reading.seconds, reading.required)} s so far).`
                    : 'Read to the end and it counts as read, or mark it done now.'
                  : 'It shows as completed on the map and on your pathways.'}
              </p>
            </div>
            <button
              type="button"
              className={`button ${status === 'done' ? '' : 'button-primary'}`}
              onClick={toggleDone}
              aria-pressed={status === 'done'}
            >
              {status === 'done' ? 'Undo done' : 'Mark as done'}
            </button>
            {storage.state === 'memory-only' && (
              <p className="storage-warning" role="status">
                {storage.problem.message}
              </p>
            )}
          </section>

          <section className="concept-section connections" aria-labelledby="connections">
            <h2 id="connections" className="md-heading">
              Connections
              <a className="md-anchor" href="#connections" aria-label="Link to “Connections”">
                #
              </a>
            </h2>
            <ConnectionRow
              label="Prerequisites"
              empty="None: a good place to start."
              ids={concept.prerequisites}
              chip={chip}
              testId="prerequisites"
            />
            <ConnectionRow
              label="Used by"
              empty="Nothing lists it as a prerequisite yet."
              ids={users.map((c) => c.id)}
              chip={chip}
              testId="used-by"
            />
            <ConnectionRow label="Related" empty="—" ids={concept.related} chip={chip} testId="related" />
          </section>

          <nav className="prev-next" aria-label={nav.along === 'pathway' ? 'Pathway steps' : 'Concepts in this group'}>
            <p className="prev-next-label">{nav.label}</p>
            <div className="prev-next-links">
              {nav.prev ? (
                <Link to={`/concepts/${nav.prev.id}`} className="prev-next-link prev" rel="prev">
                  <span className="prev-next-dir">← Previous</span>
                  <span className="prev-next-title">{nav.prev.title}</span>
                </Link>
              ) : (
                <span />
              )}
              {nav.next ? (
                <Link to={`/concepts/${nav.next.id}`} className="prev-next-link next" rel="next">
                  <span className="prev-next-dir">Next →</span>
                  <span className="prev-next-title">{nav.next.title}</span>
                </Link>
              ) : nav.pathway ? (
                <Link to={`/pathways/${nav.pathway.id}`} className="prev-next-link next" rel="next">
                  <span className="prev-next-dir">Pathway →</span>
                  <span className="prev-next-title">Back to {nav.pathway.title}</span>
                </Link>
              ) : (
                <span />
              )}
            </div>
          </nav>
        </article>
        <aside className="concept-aside">
          <OutlineAside items={outline} active={active} />
        </aside>
      </div>
    </div>
  );
}

/** How far the concept is mastered (progressRules.ts): filled pips, 0 to 3, and the level's name; the rule on hover. */
function MasteryBadge({ level }: { level: MasteryLevel }) {
  const n = MASTERY_LEVELS.indexOf(level);
  return (
    <span
      className={`badge badge-mastery mastery-${level}`}
      data-testid="concept-mastery"
      title={MASTERY_RULES[level].rule}
    >
      <span className="mastery-pips" aria-hidden="true">
        {[1, 2, 3].map((i) => (
          <span key={i} className={i <= n ? 'on' : undefined} />
        ))}
      </span>
      Mastery: {MASTERY_RULES[level].label.toLowerCase()}
    </span>
  );
}

/** The page's lab preset as a card: what it shows and a link that opens it in the Lab. */
function LabPresetLink({ id }: { id: string }) {
  const preset = presetById(id);
  if (!preset) return null;
  return (
    <section className="lab-preset-card" aria-labelledby="lab-preset-title">
      <div className="lab-preset-text">
        <p className="eyebrow lab-preset-eyebrow">{preset.compare ? 'Compare in the Lab' : 'Try it in the Lab'}</p>
        <h2 id="lab-preset-title" className="lab-preset-title">
          {preset.title}
        </h2>
        <p className="lab-preset-summary">{preset.summary}</p>
        {preset.compare && (
          <p className="lab-preset-runs">
            <span className="lab-preset-label">
              <span className="lab-preset-run run-a">A</span> {preset.compare.labelA}
            </span>
            <span className="lab-preset-label">
              <span className="lab-preset-run run-b">B</span> {preset.compare.labelB}
            </span>
          </p>
        )}
      </div>
      <Link to={`/lab?preset=${encodeURIComponent(preset.id)}`} className="button button-primary lab-preset-open">
        {/* The visible words start the accessible name (WCAG 2.5.3); the title says which experiment opens. */}
        Open in the Lab<span className="visually-hidden">: “{preset.title}”</span> →
      </Link>
    </section>
  );
}

function ConnectionRow({
  label,
  empty,
  ids,
  chip,
  testId,
}: {
  label: string;
  empty: string;
  ids: string[];
  chip: (id: string) => ReactNode;
  testId: string;
}) {
  return (
    <div className="connection-row" data-testid={testId}>
      <h3>{label}</h3>
      <div className="chip-row">{ids.length ? ids.map(chip) : <span className="muted">{empty}</span>}</div>
    </div>
  );
}

function ConceptChip({ id, title }: { id: string; title?: string }) {
  const status = useConceptStatus(id);
  return (
    <Link to={`/concepts/${id}`} className={`concept-chip status-${status}`} data-concept={id}>
      {status !== 'new' && (
        <span className="chip-check" aria-hidden="true">
          ✓
        </span>
      )}
      {title ?? id}
    </Link>
  );
}

function ConceptNotFound({ id, all }: { id: string; all: Map<string, Concept> }) {
  const [query, setQuery] = useState(id.replace(/-/g, ' '));
  const hits = suggest(query, all.values(), 8);
  return (
    <div className="page concept-missing">
      <PageHeader eyebrow="Concept" title="This concept is not in the atlas (yet)">
        <p>
          There is no page called <code>{id}</code>. Maybe one of these is what you were looking for; or find it on the{' '}
          <Link to="/map">concept map</Link>.
        </p>
      </PageHeader>
      <label className="missing-search">
        <span>Search the concepts</span>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="e.g. dropout" />
      </label>
      {hits.length ? (
        <ul className="missing-hits">
          {hits.map((c) => (
            <li key={c.id}>
              <Link to={`/concepts/${c.id}`} className="feature-card feature-link missing-hit">
                <strong>{c.title}</strong>
                <span>{c.summary}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No close matches. Try a shorter word.</p>
      )}
    </div>
  );
}
