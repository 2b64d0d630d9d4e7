import { PageHeader } from '../../app/PageHeader';
import type { RouteProps } from '../../app/routes';

export default function ConceptPage({ params }: RouteProps) {
  return (
    <div className="page">
      <PageHeader eyebrow="Concept" title={params.id ?? 'Concept'} />
    </div>
  );
}
