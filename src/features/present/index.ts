// The presentation mode's public face for other features: the Lab's "Add to demo" action.
export { AddToDemo } from './AddToDemo';
