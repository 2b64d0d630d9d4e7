import type { Pathway } from '../../state/curriculumParse';

/** Who a pathway is for, how many sessions it takes and how many steps it has. */
export function PathwayMeta({ pathway }: { pathway: Pathway }) {
  return (
    <dl className="pathway-meta">
      <div>
        <dt>Best for</dt>
        <dd>{pathway.bestFor}</dd>
      </div>
      <div>
        <dt>Sessions</dt>
        <dd>{pathway.sessions}</dd>
      </div>
      <div>
        <dt>Steps</dt>
        <dd>{pathway.steps.length}</dd>
      </div>
    </dl>
  );
}
