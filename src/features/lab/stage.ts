// The Lab's face for the presentation mode (src/features/present): the controller that trains runs in the engine
// worker and the figure panels that show them, so a demo step trains and looks exactly as it does in the Lab.
// Kept apart from index.ts, which concept pages import statically and must stay light.
import './lab.css';

export { datasetDef, taskOf } from './catalog';
export { compileRun, disposeRun, inspectTick, pause, rewind, stepRuns } from './controller';
export { PANELS, type PanelId } from './labUrl';
export { BoundaryPanel } from './panels/BoundaryPanel';
export { CurvesPanel } from './panels/CurvesPanel';
export { InsidePanel } from './panels/InsidePanel';
export { MnistPanel } from './panels/MnistPanel';
export { NetworkDiagramPanel } from './panels/NetworkDiagramPanel';
