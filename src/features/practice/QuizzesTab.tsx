// The Quizzes tab (filled in by the quizzes feature): a placeholder until it lands.
export function QuizzesTab() {
  return (
    <section className="practice-placeholder" aria-labelledby="quizzes-title">
      <h2 id="quizzes-title">Quizzes</h2>
      <p>Questions on mechanics and trade-offs, tied to the concepts on the map. Coming soon.</p>
    </section>
  );
}
