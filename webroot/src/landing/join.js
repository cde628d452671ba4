// Joining by invite (/join/<code>): preview the room, pick a display name, accept, go to the table.
import { api, currentSession, startSession } from '../common/api.js';
import { busy, el, field, statusLine } from '../common/dom.js';
import { explain } from '../common/errors.js';
import { tableUrl } from './rooms.js';

const ROLE_WORDS = { GM: 'a GM', PLAYER: 'a player', OBSERVER: 'an observer' };
const DEAD_INVITE = new Set(['INVITE_INVALID', 'INVITE_EXPIRED', 'INVITE_EXHAUSTED', 'BANNED']);

/** The invite code in a /join/<code> path, or null. */
export function inviteCodeFromPath(pathname) {
  const match = /^\/join\/([0-9A-Za-z]{1,32})\/?$/.exec(pathname);
  return match ? match[1] : null;
}

export function joinPanel(code) {
  const title = el('h2', { testid: 'join-title' }, 'Joining a room…');
  const summary = el('p', { testid: 'join-summary' });
  const status = statusLine('join-status');
  const displayName = el('input', { name: 'displayName', required: true, maxLength: 40, autocomplete: 'nickname', testid: 'join-display-name' });
  const form = el(
    'form',
    { testid: 'join-form', hidden: true },
    field('Your name at the table', displayName),
    el('button', { type: 'submit', class: 'primary', testid: 'join-submit' }, 'Join the table'),
  );
  const node = el('section', { class: 'card join-card', testid: 'join-panel', 'aria-live': 'polite' }, title, summary, form, status.node);

  const showDead = (error) => {
    title.textContent = 'This invite cannot be used';
    summary.textContent = '';
    form.hidden = true;
    node.dataset.state = 'dead';
    node.dataset.code = error.code ?? 'ERROR';
    status.error(explain(error));
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = displayName.value.trim();
    if (!name) return status.error('Pick the name the others will see.');
    status.loading('Joining…');
    await busy(form, async () => {
      try {
        const answer = await api.post(`/api/invites/${encodeURIComponent(code)}/accept`, { displayName: name });
        startSession(answer);
        status.ok('You are in. Opening the table…');
        location.assign(tableUrl(answer.roomId));
      } catch (error) {
        if (DEAD_INVITE.has(error.code)) showDead(error);
        else status.error(explain(error));
      }
    });
  });

  async function load() {
    status.loading('Looking up the invite…');
    try {
      const preview = await api.get(`/api/invites/${encodeURIComponent(code)}`);
      title.textContent = `Join “${preview.roomName}”`;
      summary.textContent = `You are invited as ${ROLE_WORDS[preview.role] ?? preview.role}.`;
      const session = currentSession();
      // A signed-in account joins as itself; the name is its own, shown but not asked for.
      displayName.value ||= session?.user?.displayName ?? '';
      displayName.readOnly = Boolean(session);
      form.hidden = false;
      node.dataset.state = 'ready';
      status.clear();
      displayName.focus();
    } catch (error) {
      if (DEAD_INVITE.has(error.code)) showDead(error);
      else {
        status.error(`The invite could not be checked. ${explain(error)}`);
        node.dataset.state = 'error';
      }
    }
  }

  load();
  return node;
}
