import { ComingUp, PageHeader } from '../../app/PageHeader';

export default function MapPage() {
  return (
    <div className="page">
      <PageHeader eyebrow="Concept map" title="The map of deep learning">
        <p>
          Every idea in the atlas and how they depend on each other: what uses what, what improves on what, and which
          concepts hold the rest together.
        </p>
      </PageHeader>
      <ComingUp
        title="What lives here"
        items={[
          { name: 'The seed map', text: '27 core concepts in 7 groups, with the relationships between them.' },
          { name: 'Expanded view', text: 'Every concept of the atlas attached to the core it belongs to.' },
          { name: 'Your progress', text: 'Nodes coloured by what you have read, practised and mastered.' },
        ]}
      />
    </div>
  );
}
