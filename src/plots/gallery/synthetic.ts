// Synthetic data that looks like a training run, for the dev plot gallery (no engine involved).

/** A seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

export const STEPS = 100_000;

/** Loss curves (train noisy, val smooth-ish) for two runs; B diverges at `divergeAt` (NaN after). */
export function lossCurves(divergeAt = 61_000) {
  const r = rng(7);
  const x = new Float64Array(STEPS);
  const trainA = new Float32Array(STEPS);
  const valA = new Float32Array(STEPS);
  const trainB = new Float32Array(STEPS);
  const valB = new Float32Array(STEPS);
  for (let i = 0; i < STEPS; i++) {
    x[i] = i;
    const t = i / STEPS;
    const baseA = 0.08 + 0.62 * Math.exp(-t * 9);
    const baseB = 0.05 + 0.65 * Math.exp(-t * 14);
    trainA[i] = baseA * (1 + 0.08 * gaussian(r));
    valA[i] = baseA * 1.1 + 0.015 + 0.01 * Math.sin(i / 900);
    if (i < divergeAt) {
      const blow = i > divergeAt - 1500 ? Math.min(6, Math.exp((i - divergeAt + 1500) / 500)) : 1;
      trainB[i] = baseB * (1 + 0.08 * gaussian(r)) * blow;
      valB[i] = (baseB * 1.15 + 0.02) * blow;
    } else {
      trainB[i] = Number.NaN;
      valB[i] = Number.NaN;
    }
  }
  return { x, trainA, valA, trainB, valB };
}

/** Linear warm-up then cosine decay. */
export function warmupCosine(n: number, peak = 0.01, warm = 0.06): Float32Array {
  const out = new Float32Array(n);
  const w = Math.max(1, Math.round(n * warm));
  for (let i = 0; i < n; i++) {
    out[i] = i < w ? (peak * (i + 1)) / w : peak * 0.5 * (1 + Math.cos((Math.PI * (i - w)) / Math.max(1, n - w)));
  }
  return out;
}

/** Per-layer gradient norms over steps: deeper layers smaller (vanishing), all decaying with noise. */
export function gradNorms(layers: number, steps: number) {
  const r = rng(11);
  const x = new Float64Array(steps);
  for (let i = 0; i < steps; i++) x[i] = i * 10;
  const ys = Array.from({ length: layers }, (_, l) => {
    const y = new Float32Array(steps);
    for (let i = 0; i < steps; i++) {
      const t = i / steps;
      y[i] = 2 * 0.6 ** l * (0.25 + Math.exp(-t * 4)) * Math.exp(0.07 * gaussian(r));
    }
    return y;
  });
  return { x, ys };
}

/** Two concentric rings (class 0 inside, class 1 outside), in [-6, 6]². */
export function circles(n: number, seed: number) {
  const r = rng(seed);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const label = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const rad = c === 0 ? r() * 2.4 : 3.4 + r() * 2.2;
    const a = r() * Math.PI * 2;
    x[i] = rad * Math.cos(a);
    y[i] = rad * Math.sin(a);
    label[i] = c;
  }
  return { x, y, label };
}

/** A "learning" classifier for the rings: p(outside) sharpens and its radius settles as t goes 0 → 1. */
export function ringProbability(px: number, py: number, t: number): number {
  const rad = Math.hypot(px, py);
  const wobble = (1 - t) * 1.2 * Math.sin(3 * Math.atan2(py, px) + 4 * t);
  const k = 0.4 + 3.2 * t;
  return 1 / (1 + Math.exp(-k * (rad - 2.9 + wobble)));
}

export function boundaryGrid(res: number, range: number, t: number, outputs: 1 | 2): Float32Array {
  const g = new Float32Array(res * res * outputs);
  for (let r = 0; r < res; r++)
    for (let c = 0; c < res; c++) {
      const px = -range + (2 * range * (c + 0.5)) / res;
      const py = -range + (2 * range * (r + 0.5)) / res;
      const p = ringProbability(px, py, t);
      if (outputs === 1) g[r * res + c] = p;
      else {
        g[(r * res + c) * 2] = 1 - p;
        g[(r * res + c) * 2 + 1] = p;
      }
    }
  return g;
}

/** Softmax probabilities of k Gaussian blobs around a circle: a k-class boundary. */
export function blobGrid(res: number, range: number, k: number): Float32Array {
  const g = new Float32Array(res * res * k);
  for (let r = 0; r < res; r++)
    for (let c = 0; c < res; c++) {
      const px = -range + (2 * range * (c + 0.5)) / res;
      const py = -range + (2 * range * (r + 0.5)) / res;
      const logits = Array.from({ length: k }, (_, j) => {
        const a = (2 * Math.PI * j) / k;
        return -0.35 * ((px - 3.5 * Math.cos(a)) ** 2 + (py - 3.5 * Math.sin(a)) ** 2);
      });
      const m = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - m));
      const s = e.reduce((a, b) => a + b, 0);
      for (let j = 0; j < k; j++) g[(r * res + c) * k + j] = e[j] / s;
    }
  return g;
}

export function blobs(n: number, k: number, seed: number) {
  const r = rng(seed);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const label = new Uint8Array(n);
  const predicted = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const j = i % k;
    const a = (2 * Math.PI * j) / k;
    x[i] = 3.5 * Math.cos(a) + 1.3 * gaussian(r);
    y[i] = 3.5 * Math.sin(a) + 1.3 * gaussian(r);
    label[i] = j;
    let best = 0;
    let bd = Number.POSITIVE_INFINITY;
    for (let q = 0; q < k; q++) {
      const b = (2 * Math.PI * q) / k;
      const d = (x[i] - 3.5 * Math.cos(b)) ** 2 + (y[i] - 3.5 * Math.sin(b)) ** 2;
      if (d < bd) {
        bd = d;
        best = q;
      }
    }
    predicted[i] = best;
  }
  return { x, y, label, predicted };
}

/** A regression surface sin(x)cos(y)-like, and points sampled from it. */
export function regressionGrid(res: number, range: number, t: number): Float32Array {
  const g = new Float32Array(res * res);
  for (let r = 0; r < res; r++)
    for (let c = 0; c < res; c++) {
      const px = -range + (2 * range * (c + 0.5)) / res;
      const py = -range + (2 * range * (r + 0.5)) / res;
      g[r * res + c] = Math.sin(px * 0.6 + t) * Math.cos(py * 0.5);
    }
  return g;
}

/** Hidden-unit outputs tanh(w·x + b) over the plane, slowly rotating with t. */
export function neuronMaps(count: number, res: number, range: number, t: number, seed: number): Float32Array[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, n) => {
    const a = r() * Math.PI * 2 + t * (0.3 + 0.1 * n);
    const s = 0.3 + r() * 0.7;
    const b = gaussian(r) * 1.2;
    const curve = n % 3 === 2 ? 0.12 : 0;
    const out = new Float32Array(res * res);
    for (let i = 0; i < res; i++)
      for (let j = 0; j < res; j++) {
        const px = -range + (2 * range * (j + 0.5)) / res;
        const py = -range + (2 * range * (i + 0.5)) / res;
        out[i * res + j] = Math.tanh(s * (Math.cos(a) * px + Math.sin(a) * py) + b + curve * (px * px + py * py - 12));
      }
    return out;
  });
}

/** Histogram snapshot of a ReLU layer's activations at training progress t: a spike at 0 that grows (dead units). */
export function reluSnapshot(step: number, t: number, seed: number, bins = 40) {
  const r = rng(seed + step);
  const n = 4000;
  const dead = Math.min(0.6, 0.05 + 0.5 * t * t);
  const values = Array.from({ length: n }, () => (r() < dead + 0.15 ? 0 : Math.abs(gaussian(r)) * (0.5 + t)));
  const min = 0;
  const max = Math.max(...values) + 1e-6;
  const counts = new Uint32Array(bins);
  for (const v of values) counts[Math.floor(((v - min) / (max - min)) * bins)]++;
  return { step, min, max, counts, dead };
}

/** Pre-activation histogram that widens and drifts. */
export function normalSnapshot(step: number, t: number, seed: number, bins = 48) {
  const r = rng(seed + step);
  const sd = 0.4 + 1.2 * t;
  const mu = 0.4 * Math.sin(t * 4);
  const min = mu - 3.5 * sd;
  const max = mu + 3.5 * sd;
  const counts = new Uint32Array(bins);
  for (let i = 0; i < 4000; i++) {
    const v = mu + sd * gaussian(r);
    const b = Math.floor(((v - min) / (max - min)) * bins);
    if (b >= 0 && b < bins) counts[b]++;
  }
  return { step, min, max, counts };
}

export function normalCounts(n: number, bins: number, sd: number, seed: number) {
  const r = rng(seed);
  const counts = new Uint32Array(bins);
  const min = -4 * sd;
  const max = 4 * sd;
  for (let i = 0; i < n; i++) {
    const b = Math.floor(((sd * gaussian(r) - min) / (max - min)) * bins);
    if (b >= 0 && b < bins) counts[b]++;
  }
  return { counts, min, max };
}

/** An MNIST-like confusion matrix: mostly diagonal, with the classic confusions (4/9, 3/5, 7/1). */
export function mnistConfusion(seed: number): Uint32Array {
  const r = rng(seed);
  const k = 10;
  const m = new Uint32Array(k * k);
  const confuse: Record<number, number[]> = { 4: [9], 9: [4, 7], 3: [5, 8], 5: [3], 7: [1, 9], 2: [7], 8: [3, 5] };
  for (let t = 0; t < k; t++) {
    const n = 900 + Math.floor(r() * 200);
    const wrong = Math.floor(n * (0.01 + r() * 0.05));
    m[t * k + t] = n - wrong;
    for (let w = 0; w < wrong; w++) {
      const opts = confuse[t];
      const p = opts && r() < 0.7 ? opts[Math.floor(r() * opts.length)] : Math.floor(r() * k);
      m[t * k + (p === t ? (t + 1) % k : p)]++;
    }
  }
  return m;
}

/** Digit-like 28×28 images: the glyph rendered on a canvas, blurred a little, with noise (browser only). */
export function digitImages(digits: number[], seed: number): Uint8Array[] {
  const r = rng(seed);
  const c = document.createElement('canvas');
  c.width = 28;
  c.height = 28;
  const ctx = c.getContext('2d');
  return digits.map((d) => {
    const out = new Uint8Array(28 * 28);
    if (!ctx) return out;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, 28, 28);
    ctx.save();
    ctx.translate(14 + gaussian(r), 15 + gaussian(r));
    ctx.rotate(gaussian(r) * 0.15);
    ctx.filter = 'blur(0.6px)';
    ctx.fillStyle = '#fff';
    ctx.font = `${19 + Math.floor(r() * 4)}px sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(String(d), 0, 0);
    ctx.restore();
    const px = ctx.getImageData(0, 0, 28, 28).data;
    for (let i = 0; i < 28 * 28; i++) out[i] = Math.min(255, px[i * 4] * 1.25);
    return out;
  });
}

/** Gabor-like 28×28 first-layer filters (signed). */
export function filters(count: number, seed: number): Float32Array[] {
  const r = rng(seed);
  return Array.from({ length: count }, () => {
    const a = r() * Math.PI;
    const f = 0.2 + r() * 0.35;
    const cx = 14 + gaussian(r) * 3;
    const cy = 14 + gaussian(r) * 3;
    const sd = 4 + r() * 4;
    const out = new Float32Array(28 * 28);
    for (let i = 0; i < 28; i++)
      for (let j = 0; j < 28; j++) {
        const u = (j - cx) * Math.cos(a) + (i - cy) * Math.sin(a);
        const g = Math.exp(-((j - cx) ** 2 + (i - cy) ** 2) / (2 * sd * sd));
        out[i * 28 + j] = g * Math.cos(f * u) * 0.3 + 0.02 * gaussian(r);
      }
    return out;
  });
}

export function randomWeights(sizes: number[], seed: number, t = 0): Float32Array[] {
  const r = rng(seed);
  return sizes.slice(1).map((out, l) => {
    const w = new Float32Array(out * sizes[l]);
    for (let i = 0; i < w.length; i++) w[i] = (gaussian(r) / Math.sqrt(sizes[l])) * (1 + 0.6 * Math.sin(t + i * 0.7));
    return w;
  });
}
