import { PageHeader } from '../PageHeader';
import { Link } from '../router';

export default function NotFoundPage() {
  return (
    <div className="page">
      <PageHeader eyebrow="404" title="This page is off the map">
        <p>
          The address doesn’t match any page. Try the <Link to="/map">concept map</Link> or go back{' '}
          <Link to="/">home</Link>.
        </p>
      </PageHeader>
    </div>
  );
}
