// One pathway as a route: numbered stations, the current one marked, completed ones checked; each step's concept,
// what the learner will be able to do, the concepts read alongside, and how the step was (or can be) completed.
import { PageHeader } from '../../app/PageHeader';
import { Link, navigate } from '../../app/router';
import type { RouteProps } from '../../app/routes';
import type { Concept, Pathway, PathwayStep } from '../../state/curriculum';
import {
  markConceptDone,
  markStepDone,
  setActivePathway,
  setCurrentStep,
  unmarkConceptDone,
  unmarkStep,
  useProgress,
} from '../../state/progress';
import { type ContentIndex, stepCheck, workSummary } from '../../state/progressRules';
import { continuePathway, ProgressBar, startPathway } from './common';
import { StorageNotice } from './ProgressPanel';
import { usePathwayData, useStanding } from './usePathwayData';
import './pathways.css';
import { PathwayMeta } from './PathwayMeta';

export default function PathwayPage({ params }: RouteProps) {
  const data = usePathwayData();
  if (data.state === 'loading')
    return (
      <div className="page-loading" role="status">
        <span className="spinner" aria-hidden="true" /> Loading the pathway…
      </div>
    );
  if (data.state === 'error')
    return (
      <div className="page">
        <PageHeader eyebrow="Pathway" title="This pathway could not be loaded">
          <p>{data.message}</p>
        </PageHeader>
      </div>
    );
  const pathway = data.pathways.find((p) => p.id === params.id);
  if (!pathway)
    return (
      <div className="page">
        <PageHeader eyebrow="Pathway" title="There is no such pathway">
          <p>
            No pathway is called <code>{params.id}</code>. These are the routes through the atlas:
          </p>
        </PageHeader>
        <ul className="chip-list">
          {data.pathways.map((p) => (
            <li key={p.id}>
              <Link to={`/pathways/${p.id}`} className="button">
                {p.title}
              </Link>
            </li>
          ))}
        </ul>
      </div>
    );
  return <PathwayView pathway={pathway} concepts={data.concepts} content={data.content} />;
}

function PathwayView({
  pathway,
  concepts,
  content,
}: {
  pathway: Pathway;
  concepts: Map<string, Concept>;
  content: ContentIndex;
}) {
  const standing = useStanding(pathway, content);
  const active = useProgress((s) => s.activePathway === pathway.id);
  return (
    <div className="page pathway-page">
      <p className="crumbs">
        <Link to="/pathways">← All pathways</Link>
      </p>
      <PageHeader eyebrow={active ? 'Your active pathway' : 'Pathway'} title={pathway.title}>
        {pathway.summary && <p>{pathway.summary}</p>}
      </PageHeader>
      <div className="pathway-overview">
        <PathwayMeta pathway={pathway} />
        <div className="pathway-overview-progress">
          <ProgressBar done={standing.done} total={standing.total} />
          {standing.started ? (
            <button
              type="button"
              className="button button-primary"
              onClick={() => continuePathway(pathway, standing.resume)}
            >
              {standing.finished ? 'Review from the start' : `Continue with step ${standing.resume + 1}`} →
            </button>
          ) : (
            <button type="button" className="button button-primary" onClick={() => startPathway(pathway)}>
              Start this pathway
            </button>
          )}
        </div>
      </div>
      <StorageNotice />
      <div className="route-layout">
        <ol className="route" aria-label={`${pathway.title}: steps`}>
          {pathway.steps.map((step, i) => (
            <Station
              key={step.concept}
              pathway={pathway}
              step={step}
              index={i}
              concepts={concepts}
              content={content}
              complete={standing.completed[i]}
              current={standing.started && i === standing.resume && !standing.finished}
              last={i === pathway.steps.length - 1}
            />
          ))}
        </ol>
        <aside className="route-aside">
          <h2>When is a step done?</h2>
          <p>
            When, for each concept of the step, you have <strong>read its page</strong> (scrolled to the end, with some
            time on it), <strong>run its mini-lab</strong> (if it has one: press play and let it train) and{' '}
            <strong>answered its check questions</strong> right at least once (if it has any). Or when you have{' '}
            <strong>marked it done</strong> here or on the page.
          </p>
          <ul className="route-legend">
            <li>
              <span className="legend-dot done" aria-hidden="true">
                ✓
              </span>{' '}
              completed
            </li>
            <li>
              <span className="legend-dot current" aria-hidden="true" /> where you are
            </li>
            <li>
              <span className="legend-dot" aria-hidden="true" /> still to come
            </li>
          </ul>
          <p className="muted">
            Your place is saved in this browser. Export it from the <Link to="/pathways">pathways list</Link>.
          </p>
        </aside>
      </div>
    </div>
  );
}

function Station({
  pathway,
  step,
  index,
  concepts,
  content,
  complete,
  current,
  last,
}: {
  pathway: Pathway;
  step: PathwayStep;
  index: number;
  concepts: Map<string, Concept>;
  content: ContentIndex;
  complete: boolean;
  current: boolean;
  last: boolean;
}) {
  const progress = useProgress();
  const check = stepCheck(progress, pathway.id, index, step, content);
  const manual = check.manual;
  const read = check.concepts[0]?.read ?? false;
  const concept = concepts.get(step.concept);
  const open = () => {
    setActivePathway(pathway.id);
    setCurrentStep(pathway.id, index);
    navigate(`/concepts/${step.concept}`);
  };
  const toggle = () => {
    if (manual) {
      unmarkStep(pathway.id, index);
      unmarkConceptDone(step.concept);
    } else {
      setActivePathway(pathway.id);
      markStepDone(pathway.id, index, 'manual');
      markConceptDone(step.concept);
    }
  };
  const state = complete ? 'done' : current ? 'current' : 'todo';
  return (
    <li
      className={`station station-${state}${last ? ' last' : ''}`}
      data-testid={`step-${index + 1}`}
      data-complete={complete}
      aria-current={current ? 'step' : undefined}
    >
      <span className="station-marker" aria-hidden="true">
        {complete ? '✓' : index + 1}
      </span>
      <div className="station-card">
        <div className="station-head">
          <p className="station-index">
            Step {index + 1}
            {current && <span className="station-tag">You are here</span>}
            {complete && <span className="station-tag done">{manual ? 'Marked done' : 'Completed'}</span>}
          </p>
          <h2 className="station-title">
            <Link
              to={`/concepts/${step.concept}`}
              onClick={() => {
                setActivePathway(pathway.id);
                setCurrentStep(pathway.id, index);
              }}
            >
              {step.title}
            </Link>
          </h2>
          {concept && step.title !== concept.title && <p className="station-concept">{concept.title}</p>}
        </div>
        <p className="station-outcome">
          <span className="station-outcome-label">After this step:</span>
          {step.outcome}
        </p>
        {step.also && step.also.length > 0 && (
          <div className="station-also">
            <span>Also read</span>
            {step.also.map((id) => (
              <Link key={id} to={`/concepts/${id}`} className="concept-chip-small">
                {concepts.get(id)?.title ?? id}
              </Link>
            ))}
          </div>
        )}
        <ul className="station-work" data-testid={`step-${index + 1}-work`} aria-label="What this step asks">
          {check.concepts.map((w) => (
            <li key={w.concept} className={w.done ? 'is-done' : undefined}>
              {check.concepts.length > 1 && (
                <span className="station-work-concept">{concepts.get(w.concept)?.title ?? w.concept}: </span>
              )}
              {workSummary(w)}
            </li>
          ))}
        </ul>
        <div className="station-actions">
          <button type="button" className="button button-small button-primary" onClick={open}>
            {read ? 'Review' : 'Open'} the page
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={toggle}
            aria-pressed={manual}
            disabled={complete && !manual}
            title={complete && !manual ? 'Completed by its page work' : undefined}
          >
            {manual ? 'Undo done' : complete ? 'Done by its page work' : 'Mark step done'}
          </button>
        </div>
      </div>
    </li>
  );
}
