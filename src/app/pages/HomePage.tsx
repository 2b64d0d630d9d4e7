import { BackendChip } from '../BackendChip';
import { Link } from '../router';
import { HeroFigure } from './HeroFigure';

const CRITICAL_PATH = [
  { name: 'Adam', note: 'Optimise' },
  { name: 'Learning rate', note: 'Tune' },
  { name: 'BatchNorm', note: 'Stabilise' },
  { name: 'Skip connections', note: 'Go deep' },
  { name: 'ResNet', note: 'Modern nets' },
];

const ROOMS = [
  {
    to: '/map',
    name: 'Concept map',
    text: 'Twenty-seven core ideas of deep learning and how they lean on each other. Expand it to every concept.',
  },
  {
    to: '/pathways',
    name: 'Pathways',
    text: 'Guided routes through the map, from first principles or straight to practice, that remember where you stopped.',
  },
  {
    to: '/lab',
    name: 'Lab',
    text: 'Train a real network on your GPU. Toggle BatchNorm, dropout, optimisers and schedules and watch it learn.',
  },
  {
    to: '/practice',
    name: 'Practice',
    text: 'Spaced-repetition cards and problems graded by actually training your fix.',
  },
];

export default function HomePage() {
  return (
    <div className="home">
      <section className="hero">
        <div className="hero-text">
          <p className="eyebrow">An interactive deep-learning studio</p>
          <h1>
            Learn deep learning by <span className="gradient-text">training it</span>.
          </h1>
          <p className="lede">
            Follow a pathway through the ideas that make neural networks work, and at every step train a real network
            live in your browser. Flip an optimiser, add BatchNorm, change the schedule: the loss curve and the decision
            boundary answer within seconds.
          </p>
          <div className="hero-actions">
            <Link to="/pathways" className="button button-primary">
              Start a pathway
            </Link>
            <Link to="/map" className="button">
              Explore the map
            </Link>
          </div>
          <p className="hero-engine">
            Your compute: <BackendChip />
          </p>
        </div>
        <HeroFigure />
      </section>

      <section className="section" aria-labelledby="rooms-heading">
        <h2 id="rooms-heading">Four ways in</h2>
        <ul className="feature-grid">
          {ROOMS.map((room) => (
            <li key={room.to}>
              <Link to={room.to} className="feature-card feature-link">
                <h3>{room.name}</h3>
                <p>{room.text}</p>
                <span className="card-arrow" aria-hidden="true">
                  →
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section className="section" aria-labelledby="critical-heading">
        <h2 id="critical-heading">Short on time? The critical path</h2>
        <p className="muted">Five ideas that cover most of everyday deep-learning practice.</p>
        <ol className="route-strip">
          {CRITICAL_PATH.map((step, i) => (
            <li key={step.name} className="route-step">
              <span className="route-index">{i + 1}</span>
              <span className="route-name">{step.name}</span>
              <span className="route-note">{step.note}</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
