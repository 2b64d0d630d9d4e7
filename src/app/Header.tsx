import { BackendChip } from './BackendChip';
import { Logo } from './Logo';
import { Link } from './router';
import { ROUTES } from './routes';
import { useTheme } from './theme';

export function Header({ current }: { current: string }) {
  const { effective, toggle } = useTheme();
  return (
    <header className="header">
      <div className="header-inner">
        <Link to="/" className="brand" aria-label="Gradient Atlas home">
          <Logo />
          <span className="brand-name">Gradient Atlas</span>
        </Link>
        <nav className="nav" aria-label="Main">
          {ROUTES.filter((r) => r.nav).map((r) => (
            <Link key={r.id} to={r.pattern} className="nav-link" aria-current={r.id === current ? 'page' : undefined}>
              {r.nav}
            </Link>
          ))}
        </nav>
        <div className="header-tools">
          <BackendChip />
          <button
            type="button"
            className="icon-button"
            onClick={toggle}
            aria-label={effective === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
            title={effective === 'dark' ? 'Light theme' : 'Dark theme'}
          >
            {effective === 'dark' ? <SunIcon /> : <MoonIcon />}
          </button>
        </div>
      </div>
    </header>
  );
}

function SunIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <circle cx="12" cy="12" r="4.5" fill="currentColor" />
      <g stroke="currentColor" strokeWidth="2" strokeLinecap="round">
        <path d="M12 2v2.5M12 19.5V22M2 12h2.5M19.5 12H22M4.9 4.9l1.8 1.8M17.3 17.3l1.8 1.8M4.9 19.1l1.8-1.8M17.3 6.7l1.8-1.8" />
      </g>
    </svg>
  );
}

function MoonIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path d="M20 14.5A8.5 8.5 0 0 1 9.5 4a8.5 8.5 0 1 0 10.5 10.5Z" fill="currentColor" />
    </svg>
  );
}
