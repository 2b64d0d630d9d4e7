// "Add to demo" in the Lab's toolbar: appends the Lab's current state (run A, run B in compare mode, the panels shown)
// as a step of one of the learner's demos, with a title and a caption, and offers to present it.
import { useState } from 'react';
import type { ExperimentSpec } from '../../../engine/index';
import { Link } from '../../app/router';
import { addStep, useDemos } from '../../state/demos';
import { useExperiment } from '../../state/experiment';
import { MAX_PANELS } from './demoModel';
import './addToDemo.css';

const PRIORITY = ['boundary', 'mnist', 'curves', 'gradients', 'network', 'activations', 'weights', 'lr'];

interface Props {
  /** The panels the Lab shows, in the Lab's order. */
  panels: string[];
  /** Labels of runs A and B (a compare preset's, or plain A and B). */
  labels?: { a: string; b: string };
  /** A title to suggest (the preset's). */
  suggestion?: string;
}

export function AddToDemo({ panels, labels, suggestion }: Props) {
  const demos = useDemos((s) => s.demos);
  const problem = useDemos((s) => s.problem);
  const [target, setTarget] = useState<string>(() => demos.at(-1)?.id ?? '');
  const [name, setName] = useState('My demo');
  const [title, setTitle] = useState('');
  const [caption, setCaption] = useState('');
  const [added, setAdded] = useState<{ id: string; count: number } | null>(null);

  const add = () => {
    const { a, b } = useExperiment.getState();
    if (!a) return;
    // A slide holds a few panels: the most telling first, the settings never (presenting hides them), and the
    // network diagram only for a single run (as in the Lab's compare mode).
    const shown = PRIORITY.filter((p) => panels.includes(p) && !(b && p === 'network')).slice(0, MAX_PANELS);
    const id = addStep(
      target || null,
      {
        title: title.trim() || suggestion || 'An experiment',
        caption: caption.trim() || 'What to notice here.',
        // A normalized spec is a spec with every default written out (the Lab's always has its data section).
        spec: a as unknown as ExperimentSpec,
        ...(b
          ? { compare: { labelA: labels?.a ?? 'A', labelB: labels?.b ?? 'B', spec: b as unknown as ExperimentSpec } }
          : {}),
        panels: shown.length ? shown : ['boundary', 'curves'],
        train: Math.min(5000, a.training.steps ?? 600),
      },
      name,
    );
    setTarget(id);
    setAdded({ id, count: useDemos.getState().demos.find((d) => d.id === id)?.steps.length ?? 1 });
    setTitle('');
    setCaption('');
  };

  return (
    <details className="lab-tool lab-panels-menu add-to-demo">
      <summary data-testid="add-to-demo">Add to demo</summary>
      <div className="lab-menu add-to-demo-menu">
        <label className="add-to-demo-field">
          <span>Demo</span>
          <select value={target} onChange={(e) => setTarget(e.currentTarget.value)} data-testid="add-to-demo-target">
            <option value="">A new demo</option>
            {demos.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title} ({d.steps.length} {d.steps.length === 1 ? 'step' : 'steps'})
              </option>
            ))}
          </select>
        </label>
        {!target && (
          <label className="add-to-demo-field">
            <span>New demo’s name</span>
            <input value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="add-to-demo-name" />
          </label>
        )}
        <label className="add-to-demo-field">
          <span>Step title</span>
          <input
            value={title}
            placeholder={suggestion ?? 'An experiment'}
            onChange={(e) => setTitle(e.currentTarget.value)}
            data-testid="add-to-demo-title"
          />
        </label>
        <label className="add-to-demo-field">
          <span>Caption (Markdown, $math$)</span>
          <textarea
            rows={3}
            value={caption}
            onChange={(e) => setCaption(e.currentTarget.value)}
            data-testid="add-to-demo-caption"
          />
        </label>
        <button type="button" className="lab-button is-primary" onClick={add} data-testid="add-to-demo-add">
          Add this experiment
        </button>
        <p className="add-to-demo-note" role="status">
          {problem ??
            (added ? (
              <>
                Added as step {added.count}.{' '}
                <Link to={`/present/${added.id}?step=${added.count}`} data-testid="add-to-demo-open">
                  Present it
                </Link>
              </>
            ) : (
              'The experiment, its run B and the panels shown become one step.'
            ))}
        </p>
      </div>
    </details>
  );
}
