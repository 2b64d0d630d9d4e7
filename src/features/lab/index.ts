// The Lab's public face for other features: what a concept page (or a pathway) may embed. Everything else in this
// folder is the Lab's own; other features share through src/state, src/plots and the engine API.
export { MiniLab } from './MiniLab';
