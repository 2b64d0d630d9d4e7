import { PageHeader } from '../../app/PageHeader';
import type { RouteProps } from '../../app/routes';

export default function PathwayPage({ params }: RouteProps) {
  return (
    <div className="page">
      <PageHeader eyebrow="Pathway" title={params.id ?? 'Pathway'} />
    </div>
  );
}
