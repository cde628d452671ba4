// Cluster (operators only): every node's own report, and a live rescale of one verticle kind on one node.
import { api } from '../common/api.js';
import { confirmButton, el, formatDateTime, formatDuration, statusLine } from '../common/dom.js';
import { explain } from '../common/errors.js';

const VERTICLES = ['http', 'bridge', 'dice', 'map', 'chat', 'persistence'];
const MAX_INSTANCES = 64;
const REFRESH_MS = 10_000;

const RESCALE_ADVICE = {
  NODE_NOT_FOUND: 'That node is no longer in the cluster.',
  NODE_CANNOT_RUN: 'That node was started without a database URL, so it cannot run persistence. Restart it with a plan that names it.',
  INSTANCES_OUT_OF_RANGE: `Instances are a whole number from 0 to ${MAX_INSTANCES}.`,
  UNKNOWN_VERTICLE: 'The server does not know that verticle.',
};

export function clusterTab() {
  return {
    id: 'cluster',
    label: 'Cluster',
    mount(panel) {
      const status = statusLine('cluster-status');
      const rescaleStatus = statusLine('rescale-status');
      const summary = el('p', { class: 'muted', testid: 'cluster-summary' });
      const nodes = el('div', { class: 'nodes', testid: 'cluster-nodes' });
      const refresh = el('button', { type: 'button', testid: 'cluster-refresh', onclick: () => load() }, 'Refresh');
      panel.append(el('div', { class: 'card' }, el('h2', {}, 'Cluster'), summary, el('div', { class: 'row-actions' }, refresh), status.node, rescaleStatus.node), nodes);
      let timer = null;

      async function load() {
        if (!nodes.children.length) status.loading('Asking every node…');
        try {
          const cluster = await api.get('/api/admin/cluster');
          summary.textContent = `${cluster.members} member${cluster.members === 1 ? '' : 's'} · refreshed ${new Date().toLocaleTimeString()}`;
          nodes.replaceChildren(...cluster.nodes.map(nodeCard));
          status.clear();
          panel.dataset.loaded = 'true';
        } catch (error) {
          status.error(error.code === 'ADMIN_ONLY' ? 'Only operators (server role ADMIN) can see the cluster.' : `The cluster view could not be loaded. ${explain(error)}`);
        }
      }

      function nodeCard(node) {
        const up = node.status === 'UP';
        const card = el(
          'section',
          { class: 'card node-card', testid: 'cluster-node', dataset: { node: node.node, status: node.status } },
          el('h3', {}, el('span', { testid: 'cluster-node-id' }, node.node), ' ', el('span', { class: `badge ${up ? 'badge-up' : 'badge-down'}`, testid: 'cluster-node-status' }, node.status)),
        );
        if (!up) {
          card.append(el('p', { class: 'status-error' }, node.reason ?? 'This node did not answer.'));
          return card;
        }
        card.append(
          el(
            'dl',
            { class: 'facts' },
            el('dt', {}, 'Up for'), el('dd', { title: formatDateTime(node.startedAt) }, formatDuration(node.uptimeSeconds)),
            el('dt', {}, 'Plan'), el('dd', { testid: 'cluster-node-plan' }, node.plan ?? '—'),
            el('dt', {}, 'Open sockets'), el('dd', { testid: 'cluster-node-sockets' }, String(node.sockets ?? 0)),
            el('dt', {}, 'Rooms owned'), el('dd', { testid: 'cluster-node-rooms' }, String(node.rooms ?? 0)),
          ),
          verticleTable(node),
        );
        return card;
      }

      function verticleTable(node) {
        const rows = VERTICLES.filter((name) => name in (node.verticles ?? {})).map((name) => {
          const instances = node.verticles[name];
          const input = el('input', { type: 'number', min: 0, max: MAX_INSTANCES, step: 1, value: String(instances), inputmode: 'numeric', 'aria-label': `Instances of ${name} on ${node.node}`, testid: 'rescale-instances', class: 'instances' });
          const apply = confirmButton({
            label: 'Apply',
            question: '',
            confirmLabel: 'Rescale',
            testid: 'rescale-apply',
            onConfirm: () => rescale(node.node, name, instances, input.value),
          });
          // The question names the numbers as they are when asked, not when the card was drawn.
          apply.querySelector('button').addEventListener('click', () => {
            const question = apply.querySelector('.confirm-question');
            if (question) question.textContent = `Scale ${name} on ${node.node} from ${instances} to ${input.value}?`;
          });
          return el(
            'tr',
            { testid: 'cluster-verticle', dataset: { verticle: name, instances } },
            el('td', { 'data-label': 'Verticle' }, name),
            el('td', { 'data-label': 'Instances', testid: 'verticle-instances' }, String(instances)),
            el('td', { 'data-label': 'Rooms' }, name === 'map' ? roomsByInstance(node.roomsByInstance) : ''),
            el('td', { 'data-label': 'Rescale' }, el('span', { class: 'row-actions' }, input, apply)),
          );
        });
        return el('div', { class: 'scroll-x' }, el('table', { class: 'data stack' }, el('thead', {}, el('tr', {}, el('th', {}, 'Verticle'), el('th', {}, 'Instances'), el('th', {}, 'Rooms per instance'), el('th', {}, 'Rescale'))), el('tbody', {}, ...rows)));
      }

      async function rescale(nodeId, verticle, from, wanted) {
        const instances = Number(wanted);
        if (!Number.isInteger(instances) || instances < 0 || instances > MAX_INSTANCES) return rescaleStatus.error(RESCALE_ADVICE.INSTANCES_OUT_OF_RANGE);
        if (instances === from) return rescaleStatus.info(`${verticle} on ${nodeId} already runs ${from}.`);
        rescaleStatus.loading(`Rescaling ${verticle} on ${nodeId} to ${instances}… (a map instance hands its rooms over first; this can take a while)`);
        try {
          const done = await api.put(`/api/admin/nodes/${encodeURIComponent(nodeId)}/verticles/${encodeURIComponent(verticle)}`, { instances });
          rescaleStatus.ok(`${done.verticle} on ${done.node}: ${done.from} → ${done.to} instances.`);
        } catch (error) {
          rescaleStatus.error(`The rescale was refused. ${RESCALE_ADVICE[error.code] ?? explain(error)}`);
        }
        await load();
      }

      const startTimer = () => {
        clearInterval(timer);
        timer = setInterval(() => {
          // Only while the tab is on screen and nobody is typing or confirming a rescale (a redraw would lose it).
          if (!panel.hidden && !document.hidden && !panel.querySelector('.confirm-question') && !panel.contains(document.activeElement?.closest('input'))) load();
        }, REFRESH_MS);
      };
      load();
      startTimer();
      return { shown: load };
    },
  };
}

function roomsByInstance(byInstance) {
  const entries = Object.entries(byInstance ?? {});
  return entries.length ? entries.map(([instance, rooms]) => `#${instance}: ${rooms} room${rooms === 1 ? '' : 's'}`).join(', ') : '—';
}
