import { BackendChip } from '../../app/BackendChip';
import { ComingUp, PageHeader } from '../../app/PageHeader';

export default function LabPage() {
  return (
    <div className="page">
      <PageHeader eyebrow="Lab" title="Train a network, live">
        <p>
          Build a small network, pick a dataset and an optimiser, and watch it learn in real time on <BackendChip />
        </p>
      </PageHeader>
      <ComingUp
        title="What lives here"
        items={[
          { name: 'Live training', text: 'Loss and accuracy curves that update as the network trains in a worker.' },
          {
            name: 'Decision boundaries',
            text: 'The classifier’s regions redrawn as it learns, with per-neuron views.',
          },
          { name: 'Toggles', text: 'BatchNorm, dropout, weight decay, optimisers and schedules, changed mid-run.' },
          { name: 'Inside the network', text: 'Activation and gradient histograms, dead ReLUs and gradient norms.' },
        ]}
      />
    </div>
  );
}
