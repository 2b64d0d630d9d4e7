// The static figure a page's front matter names (`figure:`), each loaded only when a page shows it (d3 with it).
import { type ComponentType, type LazyExoticComponent, lazy, Suspense } from 'react';
import type { FigureId } from '../../state/curriculum';

const FIGURES: Record<FigureId, { caption: string; Component: LazyExoticComponent<ComponentType> }> = {
  activations: {
    caption: 'Eight activation functions and their derivatives. Pick one to compare its value with its slope.',
    Component: lazy(() => import('../../plots/ActivationsPlot')),
  },
  'residual-block': {
    caption: 'A residual block: the layers learn a correction F(x) that is added to the unchanged input.',
    Component: lazy(() => import('../../plots/ResidualBlockDiagram')),
  },
  'lstm-cell': {
    caption: 'An LSTM cell: three sigmoid gates decide what the cell state forgets, takes in and shows.',
    Component: lazy(() => import('../../plots/LstmCellDiagram')),
  },
  'attention-matrix': {
    caption: 'Attention weights: each row is one query’s softmax over the keys, so every row sums to 1.',
    Component: lazy(() => import('../../plots/AttentionHeatmap')),
  },
  'conv-kernel': {
    caption: 'A 3×3 kernel sliding over a 6×6 input (stride 1, no padding) gives a 4×4 output.',
    Component: lazy(() => import('../../plots/ConvKernelDiagram')),
  },
  'lr-schedules': {
    caption: 'Four learning-rate schedules over the same 100 epochs and peak rate.',
    Component: lazy(() => import('../../plots/LrSchedulesPlot')),
  },
};

export function ConceptFigure({ figure }: { figure: FigureId }) {
  const def = FIGURES[figure];
  if (!def) return null;
  const { Component, caption } = def;
  return (
    <figure className="concept-figure" data-figure={figure}>
      <Suspense fallback={<div className="figure-loading" aria-hidden="true" />}>
        <Component />
      </Suspense>
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
