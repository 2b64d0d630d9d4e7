// Loads what the pathway pages show: the pathways and the concept titles/summaries their steps name.
import { useEffect, useState } from 'react';
import { type Concept, loadConcepts, loadPathways, type Pathway } from '../../state/curriculum';
import { contentIndex } from '../../state/evidence';
import { initProgress, useProgress } from '../../state/progress';
import { type ContentIndex, type PathwayStanding, pathwayStanding } from '../../state/progressRules';

export type PathwayData =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; pathways: Pathway[]; concepts: Map<string, Concept>; content: ContentIndex };

export function usePathwayData(): PathwayData {
  const [data, setData] = useState<PathwayData>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    void initProgress();
    Promise.all([loadPathways(), loadConcepts()]).then(
      ([pathways, concepts]) =>
        live && setData({ state: 'ready', pathways, concepts, content: contentIndex(concepts) }),
      (e: Error) => live && setData({ state: 'error', message: e.message }),
    );
    return () => {
      live = false;
    };
  }, []);
  return data;
}

/** The learner's standing on one pathway, re-rendering when their progress changes. */
export function useStanding(pathway: Pathway, content: ContentIndex): PathwayStanding {
  const progress = useProgress();
  return pathwayStanding(progress, pathway.id, pathway.steps, content);
}
