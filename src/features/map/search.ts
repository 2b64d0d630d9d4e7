// Ranking concepts for the map's search box: title prefix first, then a word of the title, then anywhere in the
// title or id, then the summary. Pure, so the order is easy to test.

export interface Searchable {
  id: string;
  title: string;
  summary?: string;
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');

export function searchConcepts<T extends Searchable>(items: T[], query: string, limit = 8): T[] {
  const q = norm(query.trim());
  if (!q) return [];
  const scored: { item: T; score: number }[] = [];
  for (const item of items) {
    const title = norm(item.title);
    const id = item.id;
    let score: number;
    if (title === q || id === q) score = 0;
    else if (title.startsWith(q) || id.startsWith(q)) score = 1;
    else if (title.split(/[^a-z0-9]+/).some((w) => w.startsWith(q))) score = 2;
    else if (title.includes(q) || id.includes(q.replace(/\s+/g, '-'))) score = 3;
    else if (item.summary && norm(item.summary).includes(q)) score = 4;
    else continue;
    scored.push({ item, score });
  }
  scored.sort((a, b) => a.score - b.score || a.item.title.localeCompare(b.item.title));
  return scored.slice(0, limit).map((s) => s.item);
}
