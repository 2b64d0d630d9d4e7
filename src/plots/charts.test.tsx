// @vitest-environment jsdom
// Accessible names and screen-reader summaries of the Lab charts (canvases are skipped in jsdom).
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfusionMatrix } from './ConfusionMatrix';
import { DecisionBoundary } from './DecisionBoundary';
import { Histogram } from './Histogram';
import { HistogramOverTime } from './HistogramOverTime';
import { ImageGrid } from './ImageGrid';
import { LineChart } from './LineChart';
import { NetworkDiagram } from './NetworkDiagram';
import { NeuronThumbnails } from './NeuronThumbnails';
import { SchedulePlot } from './SchedulePlot';

afterEach(cleanup);

describe('LineChart', () => {
  const series = [
    { id: 't', label: 'Train loss', x: [0, 600, 1200], y: [0.9, 0.4, 0.2] },
    { id: 'v', label: 'Validation loss', dashed: true, x: [0, 600, 1200], y: [0.95, 0.5, 0.2134] },
    { id: 'e', label: 'Run B', x: [], y: [] },
  ];

  it('has a name, a summary of the latest values, a legend, and a keyboard crosshair', () => {
    render(<LineChart label="Loss" series={series} xLabel="Step" yLabel="loss" />);
    expect(screen.getByRole('figure', { name: 'Loss' })).toBeTruthy();
    expect(
      screen.getByText('Loss. Train loss 0.2 at step 1,200; Validation loss 0.213 at step 1,200; Run B: no data yet.'),
    ).toBeTruthy();
    const legend = screen.getByRole('list', { name: 'Loss series' });
    expect(within(legend).getAllByRole('button')).toHaveLength(3);
    const slider = screen.getByRole('slider', { name: /Loss: arrow keys/ });
    fireEvent.focus(slider);
    fireEvent.keyDown(slider, { key: 'Home' });
    expect(slider.getAttribute('aria-valuetext')).toBe('Step 0: Train loss 0.9, Validation loss 0.95, Run B –');
  });

  it('hides a series from the summary when its legend entry is toggled off', () => {
    render(<LineChart label="Loss" series={series} xLabel="step" yLabel="loss" />);
    fireEvent.click(screen.getByRole('button', { name: 'Train loss' }));
    expect(screen.getByRole('button', { name: 'Train loss' }).getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByText(/^Loss\. Validation loss 0\.213 at step 1,200/)).toBeTruthy();
  });

  it('copes with NaN, log scale and markers', () => {
    render(
      <LineChart
        label="Gradient norm"
        logY
        palette="depth"
        series={[{ id: 'a', label: 'layer 1', x: [0, 1, 2], y: [1, Number.NaN, 0] }]}
        xLabel="step"
        yLabel="norm"
        markers={[{ x: 1, label: 'diverged at step 1' }]}
      />,
    );
    expect(screen.getByText('Gradient norm. layer 1 0 at step 2.')).toBeTruthy();
  });
});

describe('DecisionBoundary', () => {
  const res = 4;
  const grid = new Float32Array(res * res * 2).map((_, i) => (i % 2 ? 0.7 : 0.3));
  const train = { x: [0, 1, -1], y: [0, 1, 1], label: [0, 1, 1], predicted: [0, 0, 1] };

  it('summarises and adds points from the keyboard', () => {
    const onAdd = vi.fn();
    render(
      <DecisionBoundary
        grid={grid}
        res={res}
        outputs={2}
        xRange={[-2, 2]}
        yRange={[-2, 2]}
        train={train}
        validation={{ x: [0.5], y: [0.5], label: [1] }}
        markMisclassified
        step={800}
        onAddPoint={onAdd}
      />,
    );
    expect(screen.getByRole('figure', { name: 'Decision boundary' })).toBeTruthy();
    expect(
      screen.getByText(
        'Decision boundary at step 800: 2 classes, 3 training points, 1 validation points, 1 misclassified.',
      ),
    ).toBeTruthy();
    const plane = screen.getByRole('application');
    fireEvent.focus(plane);
    fireEvent.keyDown(plane, { key: 'ArrowRight' });
    fireEvent.keyDown(plane, { key: 'ArrowUp', shiftKey: true });
    expect(screen.getByText(/^\(0\.1, 0\.4\): class 1, p = 0\.7$/)).toBeTruthy();
    fireEvent.keyDown(plane, { key: 'Enter' });
    expect(onAdd).toHaveBeenCalledTimes(1);
    const [x, y] = onAdd.mock.calls[0];
    expect(x).toBeCloseTo(0.1);
    expect(y).toBeCloseTo(0.4);
  });

  it('describes regression output', () => {
    render(
      <DecisionBoundary
        label="Regression output"
        kind="regression"
        grid={new Float32Array(16).fill(0.5)}
        res={4}
        outputs={1}
        xRange={[0, 1]}
        yRange={[0, 1]}
      />,
    );
    expect(screen.getByText('Regression output: values from -0.5 to 0.5, 0 training points.')).toBeTruthy();
  });
});

describe('the other charts', () => {
  it('NeuronThumbnails names its layer and range', () => {
    const n = [new Float32Array([0.1, -0.9, 0.5, 0.2]), new Float32Array([0.3, 0.97, -0.2, 0])];
    render(<NeuronThumbnails title="Hidden 1" res={2} neurons={n} onSelect={() => {}} />);
    expect(screen.getByRole('figure', { name: 'Hidden 1' })).toBeTruthy();
    expect(screen.getByText(/Hidden 1: 2 neurons, outputs from -0\.9 to 0\.97/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'neuron 2: -0.2 to 0.97' })).toBeTruthy();
  });

  it('HistogramOverTime notes dead units and steps through snapshots', () => {
    const snaps = [
      { step: 0, min: 0, max: 1, counts: Uint32Array.from([5, 5]), dead: 0.1 },
      { step: 100, min: 0, max: 2, counts: Uint32Array.from([8, 2]), dead: 0.43 },
    ];
    render(<HistogramOverTime title="Hidden 2 activations" snapshots={snaps} />);
    expect(screen.getByText('dead 43%')).toBeTruthy();
    expect(
      screen.getByText(
        'Hidden 2 activations: 2 snapshots up to step 100; latest values from 0 to 2, 43% of units dead.',
      ),
    ).toBeTruthy();
    const slider = screen.getByRole('slider');
    fireEvent.keyDown(slider, { key: 'Home' });
    expect(slider.getAttribute('aria-valuetext')).toBe('step 0: 0 to 1, dead 10%');
  });

  it('Histogram summarises its peak', () => {
    render(<Histogram label="Layer 1 weights" counts={[1, 6, 3]} min={-0.3} max={0.3} xLabel="weight" />);
    expect(screen.getByRole('figure', { name: 'Layer 1 weights' })).toBeTruthy();
    expect(
      screen.getByText('Layer 1 weights: 10 values from -0.3 to 0.3; the most (6) between -0.1 and 0.1.'),
    ).toBeTruthy();
  });

  it('ConfusionMatrix has a hidden table and a summary', () => {
    render(<ConfusionMatrix counts={[8, 2, 1, 9]} labels={['cat', 'dog']} />);
    expect(screen.getByRole('figure', { name: 'Confusion matrix' })).toBeTruthy();
    const table = screen.getByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByRole('rowheader', { name: 'dog' })).toBeTruthy();
    expect(
      screen.getByText(/2 classes, 20 examples, 85% correct\. Most common mistake: true cat predicted as dog \(2\)\./),
    ).toBeTruthy();
  });

  it('ImageGrid captions every image', () => {
    render(
      <ImageGrid
        label="Mistakes"
        width={2}
        height={2}
        images={[{ data: new Uint8Array(4), caption: 'true 7, predicted 1 (62%)', tone: 'bad' }]}
      />,
    );
    expect(screen.getByRole('figure', { name: 'Mistakes' })).toBeTruthy();
    expect(screen.getByText('true 7, predicted 1 (62%)')).toBeTruthy();
    expect(screen.getByText('Mistakes: 1 images of 2×2 pixels, 1 misclassified.')).toBeTruthy();
  });

  it('NetworkDiagram names nodes with their weights and caps big layers', () => {
    const w = [Float32Array.from([0.5, -0.25]), Float32Array.from([1.5])];
    render(<NetworkDiagram layerSizes={[2, 1, 1]} weights={w} inputLabels={['x₁', 'x₂']} />);
    expect(screen.getByRole('figure', { name: 'Network' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'hidden 1 node 1; incoming: x₁ +0.5, x₂ -0.25' })).toBeTruthy();
    expect(screen.getByText(/Network: 2 → 1 → 1, 2 weight layers, 3 weights, largest \|w\| 1\.5\./)).toBeTruthy();
    cleanup();
    const big = [new Float32Array(100 * 3), new Float32Array(3 * 2)];
    render(<NetworkDiagram layerSizes={[100, 3, 2]} weights={big} maxNodes={8} />);
    expect(screen.getByText('+93')).toBeTruthy();
    expect(screen.getAllByRole('img').length).toBe(7 + 3 + 2);
  });

  it('SchedulePlot reports the current rate', () => {
    render(<SchedulePlot values={[0.1, 0.05, 0.025]} step={1} />);
    expect(screen.getByRole('figure', { name: 'Learning rate schedule' })).toBeTruthy();
    expect(
      screen.getByText('Learning rate schedule over 3 steps, from 0.1 to 0.025 (peak 0.1). Now 0.05 at step 1.'),
    ).toBeTruthy();
  });
});
