// The node's health, kept small at the foot of the landing page (operators look here first when something is off).
import { describePlan, fetchReadiness } from '../health.js';

export function startHealthLine() {
  const statusLine = document.getElementById('node-status');
  const facts = document.getElementById('node-facts');
  const checks = document.getElementById('node-checks');

  const showStatus = (kind, text) => {
    statusLine.className = `status status-${kind}`;
    statusLine.dataset.status = kind;
    statusLine.textContent = text;
  };

  const showReport = (report) => {
    const up = report.status === 'UP';
    const degraded = report.status === 'DEGRADED';
    showStatus(up ? 'up' : degraded ? 'degraded' : 'down', up ? 'Ready' : degraded ? 'Degraded' : 'Not ready');
    document.getElementById('node-id').textContent = report.node;
    document.getElementById('node-members').textContent = String(report.cluster?.members ?? 1);
    document.getElementById('node-plan').textContent = describePlan(report.plan);
    facts.hidden = false;
    checks.replaceChildren(
      ...Object.entries(report.checks ?? {}).map(([name, check]) => {
        const item = document.createElement('li');
        item.className = check.status === 'UP' ? 'up' : 'down';
        item.dataset.check = name;
        item.textContent = check.status === 'UP' ? `${name}: up` : `${name}: down — ${check.reason ?? 'no reason given'}`;
        return item;
      }),
    );
  };

  const refresh = async () => {
    showStatus('loading', 'Checking…');
    try {
      showReport(await fetchReadiness());
    } catch (error) {
      showStatus('error', `Cannot reach the node: ${error.message}`);
    }
  };

  document.getElementById('node-refresh').addEventListener('click', refresh);
  refresh();
}
