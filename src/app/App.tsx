import { Suspense, useEffect } from 'react';
import { Footer } from './Footer';
import { Header } from './Header';
import { useLocation } from './router';
import { resolveRoute } from './routes';

export function App() {
  const path = useLocation((s) => s.path);
  const { route, params } = resolveRoute(path);
  const Page = route.page;

  useEffect(() => {
    document.title = route.id === 'home' ? 'Gradient Atlas' : `${route.title} · Gradient Atlas`;
  }, [route]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header current={route.id} />
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<PageLoading />}>
          <Page params={params} />
        </Suspense>
      </main>
      <Footer />
    </div>
  );
}

function PageLoading() {
  return (
    <div className="page-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading…
    </div>
  );
}
