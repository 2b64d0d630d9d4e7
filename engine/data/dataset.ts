// The Dataset and loader interface: a dataset is row-major float arrays for a train and a validation split;
// targets are class indices (as floats) or values. Generators (toy2d.ts) and later loaders (packed MNIST) all
// produce this one shape, so runtimes never care where data came from.

export interface Split {
  x: Float32Array;
  y: Float32Array;
  count: number;
}

export interface Dataset {
  /** Per-example input shape ([2] for the toys, [1, 28, 28] for MNIST). */
  inputShape: number[];
  /** Per-example target shape: [] for class indices, [k] for values. */
  targetShape: number[];
  /** Number of classes, or null for regression. */
  classes: number | null;
  train: Split;
  val: Split;
  /** 2-D kinds: the raw (x1, x2) of every row (count x 2 per split), whatever data.features feeds the model. */
  points2d?: { train: Float32Array; val: Float32Array };
}

/** Loads a dataset described by a spec's data section (async: MNIST comes over the network). */
export interface DatasetLoader<S> {
  load(spec: S): Promise<Dataset>;
}

/** Splits rows into train and validation: the last round(count*valFraction) rows of a seeded order go to val. */
export function splitRows(
  x: Float32Array,
  y: Float32Array,
  xRow: number,
  yRow: number,
  order: Uint32Array,
  valFraction: number,
): { train: Split; val: Split } {
  const total = order.length;
  const nVal = Math.round(total * valFraction);
  const nTrain = total - nVal;
  const take = (from: number, count: number): Split => {
    const sx = new Float32Array(count * xRow);
    const sy = new Float32Array(count * yRow);
    for (let i = 0; i < count; i++) {
      const r = order[from + i];
      sx.set(x.subarray(r * xRow, (r + 1) * xRow), i * xRow);
      sy.set(y.subarray(r * yRow, (r + 1) * yRow), i * yRow);
    }
    return { x: sx, y: sy, count };
  };
  return { train: take(0, nTrain), val: take(nTrain, nVal) };
}
