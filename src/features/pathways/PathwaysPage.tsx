// The pathways as cards: who each is for, how long it takes, the learner's progress on it, and Continue or Start.
// The active pathway leads, with a "continue where you left off" card.
import { PageHeader } from '../../app/PageHeader';
import { Link } from '../../app/router';
import type { Concept, Pathway } from '../../state/curriculum';
import { useProgress } from '../../state/progress';
import type { ContentIndex } from '../../state/progressRules';
import { continuePathway, ProgressBar, startPathway } from './common';
import { ProgressPanel } from './ProgressPanel';
import { usePathwayData, useStanding } from './usePathwayData';
import './pathways.css';
import { PathwayMeta } from './PathwayMeta';

export default function PathwaysPage() {
  const data = usePathwayData();
  const activeId = useProgress((s) => s.activePathway);
  return (
    <div className="page pathways-page">
      <PageHeader eyebrow="Pathways" title="Guided routes through the map">
        <p>
          Pick a route that fits where you are. Each step names a concept and what you will be able to do once it is
          done; a step is complete when you have read its page, run its mini-lab and answered its check, or marked it
          done.
        </p>
      </PageHeader>
      {data.state === 'loading' && (
        <div className="page-loading" role="status">
          <span className="spinner" aria-hidden="true" /> Loading pathways…
        </div>
      )}
      {data.state === 'error' && <p className="storage-notice">The pathways could not be loaded: {data.message}</p>}
      {data.state === 'ready' && (
        <>
          {(() => {
            const active = data.pathways.find((p) => p.id === activeId);
            return active ? <ResumeCard pathway={active} concepts={data.concepts} content={data.content} /> : null;
          })()}
          <ul className="pathway-grid">
            {data.pathways.map((p) => (
              <li key={p.id}>
                <PathwayCard pathway={p} active={p.id === activeId} content={data.content} />
              </li>
            ))}
          </ul>
          <ProgressPanel pathways={data.pathways} concepts={data.concepts} />
        </>
      )}
    </div>
  );
}

function ResumeCard({
  pathway,
  concepts,
  content,
}: {
  pathway: Pathway;
  concepts: Map<string, Concept>;
  content: ContentIndex;
}) {
  const standing = useStanding(pathway, content);
  const step = pathway.steps[standing.resume];
  return (
    <section className="resume-card" aria-label="Continue where you left off">
      <div className="resume-text">
        <p className="eyebrow">{standing.finished ? 'Pathway complete' : 'Continue where you left off'}</p>
        <h2>
          <Link to={`/pathways/${pathway.id}`}>{pathway.title}</Link>
        </h2>
        <p className="resume-step">
          {standing.finished ? (
            <>Every step is done. Review any step, or start another pathway.</>
          ) : (
            <>
              Step {standing.resume + 1} of {standing.total}: <strong>{step.title}</strong>
              {concepts.get(step.concept) && (
                <span className="resume-summary"> · {concepts.get(step.concept)?.summary}</span>
              )}
            </>
          )}
        </p>
        <ProgressBar done={standing.done} total={standing.total} />
      </div>
      <button type="button" className="button button-primary" onClick={() => continuePathway(pathway, standing.resume)}>
        {standing.finished ? 'Review' : 'Continue'} →
      </button>
    </section>
  );
}

function PathwayCard({ pathway, active, content }: { pathway: Pathway; active: boolean; content: ContentIndex }) {
  const standing = useStanding(pathway, content);
  return (
    <article className={`pathway-card${active ? ' active' : ''}`} data-pathway={pathway.id}>
      <div className="pathway-card-head">
        <h2>
          <Link to={`/pathways/${pathway.id}`} className="pathway-card-link">
            {pathway.title}
          </Link>
        </h2>
        {active && <span className="badge-active">Active</span>}
        {!active && standing.finished && <span className="badge-finished">✓ Complete</span>}
      </div>
      {pathway.summary && <p className="pathway-card-summary">{pathway.summary}</p>}
      <PathwayMeta pathway={pathway} />
      <ol className="mini-route" aria-label="Steps">
        {pathway.steps.map((s, i) => (
          <li
            key={s.concept}
            className={`mini-station${standing.completed[i] ? ' done' : ''}${standing.started && i === standing.resume && !standing.finished ? ' current' : ''}`}
            title={`${i + 1}. ${s.title}`}
          >
            <span className="visually-hidden">
              {i + 1}. {s.title}
              {standing.completed[i] ? ' (done)' : ''}
            </span>
          </li>
        ))}
      </ol>
      <div className="pathway-card-foot">
        <ProgressBar done={standing.done} total={standing.total} />
        {standing.started ? (
          <button
            type="button"
            className="button button-primary button-small"
            onClick={() => continuePathway(pathway, standing.resume)}
          >
            {standing.finished ? 'Review' : 'Continue'}
          </button>
        ) : (
          <button type="button" className="button button-small" onClick={() => startPathway(pathway)}>
            Start
          </button>
        )}
      </div>
    </article>
  );
}
