// Where a concept sits among the others: who uses it, its neighbours in reading order (along the active pathway when
// it is a step of it, else along its group), and near matches for an id that has no page. Pure functions.
import type { Concept, ConceptMap, Pathway } from '../../state/curriculum';

/** Concepts that list `id` among their prerequisites, by title. */
export function usedBy(id: string, concepts: Map<string, Concept>): Concept[] {
  return [...concepts.values()]
    .filter((c) => c.prerequisites.includes(id))
    .sort((a, b) => a.title.localeCompare(b.title));
}

/**
 * A group's reading order: each seed node in map order followed by the group's concepts that hang under it,
 * then whatever is left, by title.
 */
export function groupOrder(group: string, concepts: Map<string, Concept>, map: ConceptMap | undefined): Concept[] {
  const inGroup = [...concepts.values()].filter((c) => c.group === group);
  const byTitle = (a: Concept, b: Concept) => a.title.localeCompare(b.title);
  const seeds = (map?.nodes ?? []).filter((n) => n.group === group).map((n) => n.concept);
  const out: Concept[] = [];
  const seen = new Set<string>();
  const add = (c: Concept | undefined) => {
    if (c && !seen.has(c.id)) {
      seen.add(c.id);
      out.push(c);
    }
  };
  for (const seed of seeds) {
    add(concepts.get(seed));
    inGroup
      .filter((c) => c.parent === seed)
      .sort(byTitle)
      .forEach(add);
  }
  inGroup.sort(byTitle).forEach(add);
  return out;
}

export interface NeighbourLink {
  id: string;
  title: string;
}

export interface Neighbours {
  /** 'pathway' when the concept is a step of the active pathway. */
  along: 'pathway' | 'group';
  label: string;
  prev?: NeighbourLink;
  next?: NeighbourLink;
  /** The pathway step index, when along a pathway. */
  step?: number;
  pathway?: Pathway;
}

export function neighbours(
  concept: Concept,
  concepts: Map<string, Concept>,
  map: ConceptMap | undefined,
  activePathway: Pathway | undefined,
  groupTitle: string,
): Neighbours {
  const link = (id: string | undefined): NeighbourLink | undefined =>
    id ? { id, title: concepts.get(id)?.title ?? id } : undefined;
  const step = activePathway?.steps.findIndex((s) => s.concept === concept.id) ?? -1;
  if (activePathway && step >= 0) {
    return {
      along: 'pathway',
      label: `${activePathway.title} · step ${step + 1} of ${activePathway.steps.length}`,
      prev: link(activePathway.steps[step - 1]?.concept),
      next: link(activePathway.steps[step + 1]?.concept),
      step,
      pathway: activePathway,
    };
  }
  const order = groupOrder(concept.group, concepts, map);
  const at = order.findIndex((c) => c.id === concept.id);
  return {
    along: 'group',
    label: `${groupTitle} · ${at + 1} of ${order.length}`,
    prev: link(order[at - 1]?.id),
    next: link(order[at + 1]?.id),
  };
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** Concepts whose id or title resemble `query`, best first. */
export function suggest(query: string, concepts: Iterable<Concept>, limit = 6): Concept[] {
  const q = query
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  if (!q) return [];
  const words = q.split(' ');
  const scored = [...concepts].map((c) => {
    const hay = `${c.id.replace(/-/g, ' ')} ${c.title.toLowerCase()}`;
    let score = 0;
    if (hay.includes(q)) score += 10;
    for (const w of words) if (w.length > 1 && hay.includes(w)) score += 3 + w.length / 4;
    const d = editDistance(q.replace(/ /g, '-'), c.id);
    score += Math.max(0, 6 - (d * 6) / Math.max(4, c.id.length));
    return { c, score };
  });
  return scored
    .filter((s) => s.score > 2.5)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((s) => s.c);
}

/** Seconds of visible time that count as having read a page: about 20 s, less for short pages. */
export function readingSeconds(wordCount: number): number {
  return Math.round(Math.min(20, Math.max(6, wordCount / 25)));
}
