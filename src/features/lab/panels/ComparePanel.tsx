// Compare mode's switch for which run the settings below edit. Both runs started from the same initial weights and
// see the same batches, so whatever differs in their curves comes from what differs in their settings.
import type { Side } from '../../../state/experiment';
import { Segmented } from '../controls/Form';

export function ComparePanel({ editing, setEditing }: { editing: Side; setEditing: (s: Side) => void }) {
  return (
    <section className="lab-panel lab-compare-panel" aria-label="Compare mode">
      <Segmented
        label="The settings below edit"
        value={editing}
        options={[
          { id: 'a', label: 'Run A' },
          { id: 'b', label: 'Run B' },
        ]}
        onChange={setEditing}
      />
      <p className="lab-panel-note">A and B start from the same initial weights and see the same batches.</p>
    </section>
  );
}
