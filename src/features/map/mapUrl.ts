// The map's view state lives in the URL so an instructor can share exactly what they show:
// /map?view=expanded&route=critical-path&focus=dropout
import type { MapView } from './mermaid';

export interface MapUrlState {
  view: MapView;
  route: string | null;
  focus: string | null;
}

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function readMapUrl(search: string): MapUrlState {
  const q = new URLSearchParams(search);
  const route = q.get('route');
  const focus = q.get('focus');
  return {
    view: q.get('view') === 'expanded' ? 'expanded' : 'seed',
    route: route && ID.test(route) ? route : null,
    focus: focus && ID.test(focus) ? focus : null,
  };
}

/** The query string for a state ('' for the default view), keeping parameters the map does not own. */
export function writeMapUrl(state: MapUrlState, currentSearch = ''): string {
  const q = new URLSearchParams(currentSearch);
  for (const k of ['view', 'route', 'focus']) q.delete(k);
  if (state.view === 'expanded') q.set('view', 'expanded');
  if (state.route) q.set('route', state.route);
  if (state.focus) q.set('focus', state.focus);
  const s = q.toString();
  return s ? `?${s}` : '';
}
