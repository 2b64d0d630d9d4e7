// The engine's public face: what the UI and scripts may import. Everything else under engine/ is internal; the UI
// reaches the training itself only through the worker client (EngineClient) and the protocol types.

export type { BackendName } from './backends/backend';
export { type AdapterSummary, adapterLabel } from './backends/webgpu/device';
export { type ExportFile, type ExportInput, type ExportResult, exportProject } from './export/project';
export { constraintViolations } from './grade/constraints';
export { judge } from './grade/judge';
export * from './grade/types';
export type { ActivationStats, NeuronGrid } from './live/activations';
export {
  analyseRange,
  RANGE_TEST_DEFAULTS,
  RANGE_TEST_LIMITS,
  type RangeAnalysis,
  type RangeTestOptions,
  rangeLr,
  rangeTestSpec,
  roundRate,
} from './live/rangeTest';
export type * from './live/types';
export { learningRate } from './optim/schedules';
export { RACE_LIMITS, type RaceEntry, type RaceResult, type RaceTrace, runRace } from './race/race';
export { HYPER_FIELDS, type HyperKey, RACERS, type Racer, type RacerHypers, type RacerId } from './race/racers';
export { distanceToNearest, SURFACES, type Surface, type SurfaceId, surfaceById } from './race/surfaces';
export { DATA_KINDS, LIMITS, OPTIMIZER_DEFAULTS, REGRESSION_DATA } from './spec/defaults';
export { decodeSpec, encodeSpec } from './spec/encode';
export type * from './spec/types';
export { validateSpec } from './spec/validate';
export { EngineClient, type WorkerPort } from './worker/client';
export type * from './worker/protocol';
