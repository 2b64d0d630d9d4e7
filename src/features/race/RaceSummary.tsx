// The race as a table (the text form of the figure): each contestant's final loss and distance to the nearest
// optimum, how many steps it took to come within the tolerance, and whether it diverged.
import { memo } from 'react';
import type { RaceResult } from '../../../engine/index';
import { fmt, fmtInt } from '../../plots/format';
import type { PlottedTrace } from './ContourPlot';
import { Swatch } from './RacerControls';

interface Props {
  traces: PlottedTrace[];
  result: RaceResult;
  steps: number;
  start: [number, number];
}

export const RaceSummary = memo(function RaceSummary({ traces, result, steps, start }: Props) {
  return (
    <div className="race-table-wrap">
      <table className="race-table" data-testid="race-summary">
        <caption>
          After {fmtInt(steps)} steps from ({start[0].toFixed(2)}, {start[1].toFixed(2)})
        </caption>
        <thead>
          <tr>
            <th scope="col">Optimizer</th>
            <th scope="col">Final loss</th>
            <th scope="col">Distance to nearest optimum</th>
            <th scope="col">Steps to within {result.within}</th>
            <th scope="col">Diverged</th>
          </tr>
        </thead>
        <tbody>
          {traces.map(({ trace, label }) => (
            <tr key={trace.id}>
              <th scope="row">
                <Swatch id={trace.id as Parameters<typeof Swatch>[0]['id']} /> {label}
              </th>
              <td>{fmt(trace.loss[trace.steps])}</td>
              <td>{fmt(trace.distance[trace.steps])}</td>
              <td>{trace.stepsToWithin === null ? 'not reached' : fmtInt(trace.stepsToWithin)}</td>
              <td>{trace.diverged ? `yes, at step ${fmtInt(trace.diverged.step)}` : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});
