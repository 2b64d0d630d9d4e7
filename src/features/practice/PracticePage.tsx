import { ComingUp, PageHeader } from '../../app/PageHeader';

export default function PracticePage() {
  return (
    <div className="page">
      <PageHeader eyebrow="Practice" title="Make it stick">
        <p>Short daily reviews and hands-on problems that check your answer by training it.</p>
      </PageHeader>
      <ComingUp
        title="What lives here"
        items={[
          { name: 'Flashcards', text: 'Spaced repetition that brings each card back just before you would forget it.' },
          {
            name: 'Problems',
            text: 'A broken training run to diagnose and fix; the grader trains your fix to check it.',
          },
          { name: 'Quizzes', text: 'Questions on mechanics and trade-offs, tied to the concepts on the map.' },
        ]}
      />
    </div>
  );
}
