// Learning-rate schedules as pure functions of the epoch, following PyTorch's formulas (StepLR, CosineAnnealingLR,
// linear warmup then cosine, OneCycleLR with its defaults: 30% warm phase, cosine annealing, div 25, final div 1e4).

export interface Schedule {
  id: string;
  name: string;
  note: string;
  lr: (t: number) => number;
}

export const EPOCHS = 100;
export const PEAK = 0.1;

const cosineFromTo = (from: number, to: number, p: number) => to + ((from - to) * (1 + Math.cos(Math.PI * p))) / 2;

export const SCHEDULES: Schedule[] = [
  {
    id: 'step',
    name: 'Step decay',
    note: '×0.1 every 30 epochs',
    lr: (t) => PEAK * 0.1 ** Math.floor(t / 30),
  },
  {
    id: 'cosine',
    name: 'Cosine',
    note: 'half a cosine from the peak to 0',
    lr: (t) => cosineFromTo(PEAK, 0, t / EPOCHS),
  },
  {
    id: 'warmup',
    name: 'Warmup + cosine',
    note: 'linear for 5 epochs, then cosine',
    lr: (t) => (t < 5 ? (PEAK * t) / 5 : cosineFromTo(PEAK, 0, (t - 5) / (EPOCHS - 5))),
  },
  {
    id: 'one-cycle',
    name: 'One-cycle',
    note: 'up for 30%, then down far below the start',
    lr: (t) => {
      const start = PEAK / 25;
      const end = start / 1e4;
      const up = 0.3 * EPOCHS;
      return t <= up ? cosineFromTo(start, PEAK, t / up) : cosineFromTo(PEAK, end, (t - up) / (EPOCHS - up));
    },
  },
];
