// /present: the demos an instructor can present (the curriculum's, in its order) and the learner's own, made in the
// Lab with "Add to demo": edited here (titles, captions, order, deletion), shared as a link or a .yaml file, and
// imported from a file (checked step by step, with every problem named).
import { useRef, useState } from 'react';
import { PageHeader } from '../../app/PageHeader';
import { Link, navigate } from '../../app/router';
import { moveStep, putDemo, removeDemo, type UserDemo, updateDemo, useDemos } from '../../state/demos';
import { type Demo, demoToSource, demoToYaml, parseDemoText, resolveDemo } from './demoModel';
import { contentDemos, demoContext, readUserDemo } from './library';
import { encodeDemoLink, SHARED_ID } from './share';
import './present.css';

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export default function PresentListPage() {
  const demos = contentDemos();
  const mine = useDemos((s) => s.demos);
  const problem = useDemos((s) => s.problem);
  const [imported, setImported] = useState<{ ok: boolean; lines: string[] } | null>(null);
  const file = useRef<HTMLInputElement>(null);

  const onImport = async (f: File) => {
    const name = f.name;
    const parsed =
      f.size > 2_000_000
        ? { ok: false as const, error: 'it is larger than any demo needs' }
        : parseDemoText(await f.text());
    if (!parsed.ok) return setImported({ ok: false, lines: [`${name} could not be imported: ${parsed.error}.`] });
    const { demo, problems } = resolveDemo(parsed.value, demoContext);
    if (!demo) return setImported({ ok: false, lines: [`${name} could not be imported:`, ...problems.slice(0, 10)] });
    const source = demoToSource(demo);
    const id = putDemo({ ...(source as UserDemo), id: `user-import-${Date.now().toString(36)}` });
    setImported({ ok: true, lines: [`Imported “${demo.title}” (${plural(demo.steps.length, 'step')}).`] });
    return id;
  };

  return (
    <div className="page present-list">
      <PageHeader eyebrow="Present" title="Demos for a room">
        <p>
          Scripted sequences of live experiments, one key to advance: each step trains in front of your audience, with
          big type and a caption. Use → or a clicker to go on, ← to go back, L for a laser pointer, Escape to leave.
        </p>
      </PageHeader>

      <section aria-labelledby="present-curriculum-h">
        <h2 id="present-curriculum-h" className="present-section-title">
          Along the curriculum
        </h2>
        <ol className="present-grid">
          {demos.map((d, i) => (
            <li key={d.id} className="present-card">
              <p className="present-card-n" aria-hidden="true">
                {i + 1}
              </p>
              <h3>{d.title}</h3>
              <p className="present-card-summary">{d.summary}</p>
              <p className="present-card-meta">{plural(d.steps.length, 'step')}</p>
              <Link to={`/present/${d.id}`} className="button present-open" data-testid={`present-open-${d.id}`}>
                Present<span className="visually-hidden"> “{d.title}”</span>
              </Link>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="present-mine-h" className="present-mine">
        <div className="present-mine-head">
          <h2 id="present-mine-h" className="present-section-title">
            Your demos
          </h2>
          <button type="button" className="button button-ghost" onClick={() => file.current?.click()}>
            Import a demo file
          </button>
          <input
            ref={file}
            type="file"
            accept=".yaml,.yml,.json,application/yaml,application/json"
            className="visually-hidden"
            aria-label="Demo file to import"
            data-testid="present-import"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (f) void onImport(f);
            }}
          />
        </div>
        {imported && (
          <div
            className={`present-note${imported.ok ? ' is-ok' : ' is-error'}`}
            role={imported.ok ? 'status' : 'alert'}
          >
            {imported.lines.length === 1 ? (
              <p>{imported.lines[0]}</p>
            ) : (
              <>
                <p>{imported.lines[0]}</p>
                <ul>
                  {imported.lines.slice(1).map((l) => (
                    <li key={l}>{l}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
        {problem && (
          <p className="present-note is-error" role="alert">
            {problem}
          </p>
        )}
        {mine.length === 0 ? (
          <p className="present-empty">
            None yet. In the <Link to="/lab">Lab</Link>, set up an experiment and choose <strong>Add to demo</strong> in
            its toolbar: each experiment you add becomes a step, with your caption.
          </p>
        ) : (
          <ul className="present-mine-list">
            {mine.map((d) => (
              <UserDemoCard key={d.id} demo={d} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function UserDemoCard({ demo }: { demo: UserDemo }) {
  const [editing, setEditing] = useState(false);
  const [shared, setShared] = useState<string | null>(null);
  const read = readUserDemo(demo);
  const resolved: Demo | null = read.demo;

  const share = async () => {
    if (!resolved) return;
    const link = `${window.location.origin}/present/${SHARED_ID}#${await encodeDemoLink(demoToSource(resolved))}`;
    try {
      await navigator.clipboard.writeText(link);
      setShared('Link copied to the clipboard.');
    } catch {
      setShared('Copy the link from the address bar of the page that opens.');
      navigate(link.replace(window.location.origin, ''));
    }
  };

  return (
    <li className="present-mine-card" data-testid={`user-demo-${demo.id}`}>
      <div className="present-mine-row">
        <div>
          <h3>{demo.title}</h3>
          <p className="present-card-meta">{plural(demo.steps.length, 'step')}</p>
        </div>
        <div className="present-actions">
          {resolved && (
            <Link to={`/present/${demo.id}`} className="button" data-testid="user-demo-present">
              Present<span className="visually-hidden"> “{demo.title}”</span>
            </Link>
          )}
          <button
            type="button"
            className="button button-ghost"
            aria-expanded={editing}
            onClick={() => setEditing((v) => !v)}
          >
            {editing ? 'Done' : 'Edit'}
          </button>
          <button type="button" className="button button-ghost" onClick={() => void share()} disabled={!resolved}>
            Copy link
          </button>
          <button
            type="button"
            className="button button-ghost"
            disabled={!resolved}
            onClick={() =>
              resolved &&
              download(`${demo.title.replace(/[^\w-]+/g, '-').toLowerCase() || 'demo'}.yaml`, demoToYaml(resolved))
            }
          >
            Download .yaml
          </button>
          <button
            type="button"
            className="button button-ghost is-danger"
            onClick={() => {
              if (window.confirm(`Delete “${demo.title}”? This cannot be undone.`)) removeDemo(demo.id);
            }}
          >
            Delete
          </button>
        </div>
      </div>
      {shared && (
        <p className="lab-muted" role="status">
          {shared}
        </p>
      )}
      {!resolved && (
        <ul className="present-note is-error" role="alert">
          {read.problems.slice(0, 5).map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {editing && <DemoEditor demo={demo} />}
    </li>
  );
}

function DemoEditor({ demo }: { demo: UserDemo }) {
  const set = (change: (d: UserDemo) => UserDemo) => updateDemo(demo.id, change);
  const setStep = (i: number, patch: Partial<UserDemo['steps'][number]>) =>
    set((d) => ({ ...d, steps: d.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));
  return (
    <div className="present-editor">
      <label className="present-field">
        <span>Demo title</span>
        <input value={demo.title} onChange={(e) => set((d) => ({ ...d, title: e.currentTarget.value }))} />
      </label>
      <ol className="present-steps">
        {demo.steps.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: steps have no ids; the index is their place
          <li key={i} className="present-step-edit">
            <div className="present-step-head">
              <span className="present-step-n">{i + 1}</span>
              <label className="present-field is-grow">
                <span className="visually-hidden">Title of step {i + 1}</span>
                <input value={s.title} onChange={(e) => setStep(i, { title: e.currentTarget.value })} />
              </label>
              <button
                type="button"
                className="lab-button"
                disabled={i === 0}
                onClick={() => set((d) => moveStep(d, i, i - 1))}
                aria-label={`Move step ${i + 1} up`}
              >
                ↑
              </button>
              <button
                type="button"
                className="lab-button"
                disabled={i === demo.steps.length - 1}
                onClick={() => set((d) => moveStep(d, i, i + 1))}
                aria-label={`Move step ${i + 1} down`}
              >
                ↓
              </button>
              <button
                type="button"
                className="lab-button"
                onClick={() =>
                  demo.steps.length === 1
                    ? removeDemo(demo.id)
                    : set((d) => ({ ...d, steps: d.steps.filter((_, j) => j !== i) }))
                }
                aria-label={`Delete step ${i + 1}`}
              >
                Delete
              </button>
            </div>
            <label className="present-field">
              <span>Caption of step {i + 1} (Markdown, $math$)</span>
              <textarea rows={3} value={s.caption} onChange={(e) => setStep(i, { caption: e.currentTarget.value })} />
            </label>
            <p className="present-card-meta">
              {s.compare ? `A/B: ${s.compare.labelA} vs ${s.compare.labelB}` : 'One run'} · {s.panels.join(', ')} ·{' '}
              {s.train ?? 600} steps
            </p>
          </li>
        ))}
      </ol>
    </div>
  );
}
