// Each contestant's look: an Okabe-Ito colour and a d3 symbol (seven of each), so paths stay apart for colour-blind
// readers and in greyscale. The seventh colour is the text colour (black on light, white on dark) instead of
// Okabe-Ito's yellow, which vanishes on the light background.
import {
  type SymbolType,
  symbolCircle,
  symbolCross,
  symbolDiamond,
  symbolSquare,
  symbolStar,
  symbolTriangle,
  symbolWye,
} from 'd3';
import type { RacerId } from '../../../engine/index';

export interface RacerLook {
  color: string;
  symbol: SymbolType;
  /** The marker's name, for the legend's text. */
  shape: string;
}

export const LOOKS: Record<RacerId, RacerLook> = {
  sgd: { color: '#E69F00', symbol: symbolCircle, shape: 'circle' },
  momentum: { color: '#56B4E9', symbol: symbolSquare, shape: 'square' },
  nesterov: { color: '#009E73', symbol: symbolTriangle, shape: 'triangle' },
  rmsprop: { color: '#0072B2', symbol: symbolDiamond, shape: 'diamond' },
  adagrad: { color: '#D55E00', symbol: symbolCross, shape: 'cross' },
  adam: { color: '#CC79A7', symbol: symbolStar, shape: 'star' },
  adamw: { color: 'var(--text)', symbol: symbolWye, shape: 'wye' },
};
