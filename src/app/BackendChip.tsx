import { backendDetail, backendLabel, useEngine } from '../state/engine';

/** Says which compute backend the engine worker runs on; the tooltip says why. */
export function BackendChip() {
  const status = useEngine((s) => s.status);
  const kind = status.state === 'ready' ? status.report.kind : status.state;
  return (
    <span
      className={`backend-chip backend-${kind}`}
      data-testid="backend-chip"
      data-backend={kind}
      title={backendDetail(status)}
      role="status"
    >
      <span className="backend-dot" aria-hidden="true" />
      <BackendText label={backendLabel(status)} />
    </span>
  );
}

/** Splits "WebGPU · adapter" (or "CPU · kernels · threads") so narrow screens can drop the details and keep the
 * backend. */
function BackendText({ label }: { label: string }) {
  const [kind, ...rest] = label.split(' · ');
  const detail = rest.join(' · ');
  return (
    <span>
      {kind}
      {detail && <span className="backend-adapter"> · {detail}</span>}
    </span>
  );
}
