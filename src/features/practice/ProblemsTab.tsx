// The Problems tab (filled in by the problems feature): a placeholder until it lands.
export function ProblemsTab() {
  return (
    <section className="practice-placeholder" aria-labelledby="problems-title">
      <h2 id="problems-title">Problems</h2>
      <p>Broken training runs to diagnose and fix; the grader trains your fix to check it. Coming soon.</p>
    </section>
  );
}
