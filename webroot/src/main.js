import { describePlan, fetchReadiness } from './health.js';

const statusLine = document.getElementById('node-status');
const facts = document.getElementById('node-facts');
const checks = document.getElementById('node-checks');

function showStatus(kind, text) {
  statusLine.className = `status status-${kind}`;
  statusLine.dataset.status = kind;
  statusLine.textContent = text;
}

function showReport(report) {
  const up = report.status === 'UP';
  showStatus(up ? 'up' : 'down', up ? 'Ready' : 'Not ready');
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
}

async function refresh() {
  showStatus('loading', 'Checking…');
  try {
    showReport(await fetchReadiness());
  } catch (error) {
    showStatus('error', `Cannot reach the node: ${error.message}`);
  }
}

document.getElementById('node-refresh').addEventListener('click', refresh);
refresh();
