// The curriculum in the browser: lazy loaders over content/ (concept pages, map.yaml, pathways.yaml). Each file is
// its own chunk, fetched only by the routes that ask for it; results are cached for the visit. The types and the
// parsing live in curriculumParse.ts, shared with the Node content validator.
import { type Concept, type ConceptMap, type Pathway, parseConcept, parseMap, parsePathways } from './curriculumParse';

export type {
  Centrality,
  Concept,
  ConceptMap,
  EdgeStyle,
  FigureId,
  Formula,
  GroupDef,
  GroupId,
  MapEdge,
  MapNode,
  NodeHighlight,
  Pathway,
  PathwayStep,
} from './curriculumParse';
export { GROUP_IDS, sectionTitles, stepConcepts } from './curriculumParse';

type Loader = () => Promise<string>;

const conceptFiles = import.meta.glob('/content/concepts/*.md', { query: '?raw', import: 'default' }) as Record<
  string,
  Loader
>;
const yamlFiles = import.meta.glob('/content/*.yaml', { query: '?raw', import: 'default' }) as Record<string, Loader>;

const conceptPath = (id: string) => `/content/concepts/${id}.md`;
const idOfPath = (path: string) => path.slice(path.lastIndexOf('/') + 1, -'.md'.length);

/** Every concept id that has a page, without loading any. */
export const conceptIds: string[] = Object.keys(conceptFiles).map(idOfPath).sort();

const conceptCache = new Map<string, Promise<Concept | undefined>>();

/** One concept page, or undefined when there is no page with that id. */
export function loadConcept(id: string): Promise<Concept | undefined> {
  let p = conceptCache.get(id);
  if (!p) {
    const load = conceptFiles[conceptPath(id)];
    p = load ? load().then((src) => parseConcept(src, id)) : Promise.resolve(undefined);
    conceptCache.set(id, p);
    // A page that fails to parse should not poison the cache for a later (fixed) reload of the module.
    p.catch(() => conceptCache.delete(id));
  }
  return p;
}

let allConcepts: Promise<Map<string, Concept>> | undefined;

/** Every concept page, by id. A page that fails to parse is reported on the console and left out. */
export function loadConcepts(): Promise<Map<string, Concept>> {
  allConcepts ??= Promise.all(
    conceptIds.map((id) =>
      loadConcept(id).catch((e) => {
        console.error(`content/concepts/${id}.md: ${(e as Error).message}`);
        return undefined;
      }),
    ),
  ).then((list) => new Map(list.filter((c): c is Concept => !!c).map((c) => [c.id, c])));
  return allConcepts;
}

function loadYaml<T>(name: string, parse: (src: string) => T): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    if (!cached) {
      const load = yamlFiles[`/content/${name}`];
      cached = load ? load().then(parse) : Promise.reject(new Error(`content/${name} is missing`));
      cached.catch(() => {
        cached = undefined;
      });
    }
    return cached;
  };
}

/** The concept map: groups, the 27 seed nodes and their 26 edges. */
export const loadMap: () => Promise<ConceptMap> = loadYaml('map.yaml', parseMap);

/** The learning pathways, in the order of pathways.yaml. */
export const loadPathways: () => Promise<Pathway[]> = loadYaml('pathways.yaml', parsePathways);

/** One pathway by id, or undefined. */
export async function loadPathway(id: string): Promise<Pathway | undefined> {
  return (await loadPathways()).find((p) => p.id === id);
}
