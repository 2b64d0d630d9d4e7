// The lab presets (content/presets/<id>.json): ready-made experiments with what to notice. Loaded eagerly because
// they are small and the Lab needs them synchronously to open `/lab?preset=<id>`; only the Lab and the concept pages
// import this module, so the presets stay out of the first route's bundle. The content validator has already checked
// every file (ids, fields, specs through validateSpec), so this module only types and indexes them.
import type { ExperimentSpec } from '../../engine/index';

export interface Preset {
  /** = the file name without .json. */
  id: string;
  title: string;
  /** Concept ids the preset illustrates. */
  concepts: string[];
  /** One line. */
  summary: string;
  /** The "what to notice" paragraph. */
  notice: string;
  /** Suggested number of training steps (equals spec.training.steps). */
  steps: number;
  /** Run A (the only run unless `compare` is given). */
  spec: ExperimentSpec;
  /** Compare mode: run B, started from run A's initial weights where keys and shapes match. */
  compare?: { labelA: string; labelB: string; spec: ExperimentSpec };
}

const files = import.meta.glob('/content/presets/*.json', { eager: true, import: 'default' }) as Record<string, Preset>;

/** Every preset, sorted by id. */
export const PRESETS: readonly Preset[] = Object.values(files).sort((a, b) => a.id.localeCompare(b.id));

const byId = new Map(PRESETS.map((p) => [p.id, p]));

/** The preset with this id, or undefined. */
export function presetById(id: string): Preset | undefined {
  return byId.get(id);
}
