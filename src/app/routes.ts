// The app's routes as one table: path pattern, what the navigation calls it, and the page that renders it.
// Pages load lazily so the first route stays small (the map pulls in Mermaid, the lab d3 and the engine).
import { type ComponentType, type LazyExoticComponent, lazy } from 'react';

export interface RouteProps {
  params: Record<string, string>;
}

export interface RouteDef {
  id: string;
  pattern: string;
  title: string;
  /** Shown in the main navigation when set. */
  nav?: string;
  page: LazyExoticComponent<ComponentType<RouteProps>>;
}

export const ROUTES: RouteDef[] = [
  { id: 'home', pattern: '/', title: 'Home', nav: 'Home', page: lazy(() => import('./pages/HomePage')) },
  { id: 'map', pattern: '/map', title: 'Concept map', nav: 'Map', page: lazy(() => import('../features/map/MapPage')) },
  {
    id: 'pathways',
    pattern: '/pathways',
    title: 'Pathways',
    nav: 'Pathways',
    page: lazy(() => import('../features/pathways/PathwaysPage')),
  },
  {
    id: 'pathway',
    pattern: '/pathways/:id',
    title: 'Pathway',
    page: lazy(() => import('../features/pathways/PathwayPage')),
  },
  {
    id: 'concept',
    pattern: '/concepts/:id',
    title: 'Concept',
    page: lazy(() => import('../features/concepts/ConceptPage')),
  },
  { id: 'lab', pattern: '/lab', title: 'Lab', nav: 'Lab', page: lazy(() => import('../features/lab/LabPage')) },
  { id: 'race', pattern: '/lab/race', title: 'Optimizer race', page: lazy(() => import('../features/race/RacePage')) },
  {
    id: 'practice',
    pattern: '/practice',
    title: 'Practice',
    nav: 'Practice',
    page: lazy(() => import('../features/practice/PracticePage')),
  },
  {
    id: 'present',
    pattern: '/present',
    title: 'Present',
    page: lazy(() => import('../features/present/PresentListPage')),
  },
  {
    id: 'present-demo',
    pattern: '/present/:id',
    title: 'Presenting',
    page: lazy(() => import('../features/present/PresentPage')),
  },
  {
    id: 'dev-plots',
    pattern: '/dev/plots',
    title: 'Plot gallery',
    page: lazy(() => import('../plots/gallery/PlotGallery')),
  },
];

export const NOT_FOUND: RouteDef = {
  id: 'not-found',
  pattern: '*',
  title: 'Not found',
  page: lazy(() => import('./pages/NotFoundPage')),
};

/** Matches "/concepts/:id"-style patterns; returns the params or undefined. */
export function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return undefined;
  }
  return params;
}

export function resolveRoute(
  path: string,
  routes: RouteDef[] = ROUTES,
): { route: RouteDef; params: Record<string, string> } {
  for (const route of routes) {
    const params = matchPattern(route.pattern, path);
    if (params) return { route, params };
  }
  return { route: NOT_FOUND, params: {} };
}
