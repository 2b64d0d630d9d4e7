// The experiment being edited in the Lab: run A's spec, run B's in compare mode, which of them the controls edit,
// the view (hidden panels, presenting, log scale) and the preset it came from. Specs are kept normalized (every
// default filled), so editors read any field directly; every edit is validated before it is stored.
import { create } from 'zustand';
import { type NormalizedSpec, validateSpec } from '../../engine/index';

export type Side = 'a' | 'b';

export interface ExperimentView {
  hidden: string[];
  present: boolean;
  logScale: boolean;
}

export interface ExperimentState {
  a: NormalizedSpec | null;
  b: NormalizedSpec | null;
  editing: Side;
  view: ExperimentView;
  preset: string | null;
  /** The practice problem open in the Lab, if any. */
  problem: string | null;
  /** What was wrong with the link the Lab opened with (shown once, dismissable). */
  linkProblems: string[];
  /** True when the link's experiment could not be opened and the defaults stand in for it. */
  linkFellBack: boolean;
  /** The last edit that did not validate, in words. */
  editError: string | null;
}

export const useExperiment = create<ExperimentState>(() => ({
  a: null,
  b: null,
  editing: 'a',
  view: { hidden: [], present: false, logScale: false },
  preset: null,
  problem: null,
  linkProblems: [],
  linkFellBack: false,
  editError: null,
}));

/** Validates and stores an edit of one side. Returns the stored spec, or null (editError says why). */
export function editSpec(side: Side, next: unknown): NormalizedSpec | null {
  const v = validateSpec(next);
  if (!v.ok) {
    useExperiment.setState({ editError: v.errors.map((e) => e.message).join('; ') });
    return null;
  }
  useExperiment.setState({ [side]: v.value, editError: null } as Partial<ExperimentState>);
  return v.value;
}

export function setView(patch: Partial<ExperimentView>): void {
  useExperiment.setState((s) => ({ view: { ...s.view, ...patch } }));
}
