// Reads the node's readiness report. 503 still carries the report (a node that is not ready says why).
export async function fetchReadiness(fetchImpl = fetch) {
  const response = await fetchImpl('/health/ready', { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => null);
  if (!body || typeof body.status !== 'string') {
    throw new Error(`The node answered ${response.status} without a readiness report.`);
  }
  return body;
}

export function describePlan(plan) {
  const parts = Object.entries(plan ?? {})
    .filter(([, instances]) => instances > 0)
    .map(([name, instances]) => `${name} × ${instances}`);
  return parts.length ? parts.join(', ') : 'none';
}
