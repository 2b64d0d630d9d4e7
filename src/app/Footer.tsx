import { Link } from './router';

export function Footer() {
  return (
    <footer className="footer">
      <div className="footer-inner">
        <span>Gradient Atlas · learn deep learning by training it, live, on your own GPU.</span>
        <span className="footer-links">
          <Link to="/map">Map</Link>
          <Link to="/pathways">Pathways</Link>
          <Link to="/lab">Lab</Link>
          <Link to="/practice">Practice</Link>
          <Link to="/lab/race">Optimizer race</Link>
          <Link to="/present">Present a demo</Link>
        </span>
      </div>
    </footer>
  );
}
