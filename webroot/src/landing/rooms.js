// "My rooms": the rooms I belong to with my role, and a form to create one. Its DOM outlives a re-sign-in,
// so a room name typed when the session ended is still there afterwards.
import { api } from '../common/api.js';
import { busy, el, field, statusLine } from '../common/dom.js';
import { explain, isSessionEnded } from '../common/errors.js';

export const tableUrl = (roomId) => `/table.html?room=${encodeURIComponent(roomId)}`;
export const adminUrl = (roomId) => `/admin.html?room=${encodeURIComponent(roomId)}`;

/** @param onSessionEnded called when a call answers 401: the page asks to sign in again */
export function roomsPanel({ onSessionEnded }) {
  const createStatus = statusLine('create-room-status');
  const listStatus = statusLine('rooms-status');
  const name = el('input', { name: 'name', required: true, maxLength: 80, placeholder: 'Curse of the Crimson Keep', testid: 'create-room-name' });
  const list = el('ul', { class: 'list', testid: 'rooms-list' });

  const form = el(
    'form',
    { class: 'inline', testid: 'create-room-form' },
    field('New room name', name),
    el('button', { type: 'submit', class: 'primary', testid: 'create-room-submit' }, 'Create room'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const wanted = name.value.trim();
    if (!wanted) return createStatus.error('Give the room a name.');
    createStatus.loading('Creating the room…');
    await busy(form, async () => {
      try {
        const room = await api.post('/api/rooms', { name: wanted });
        name.value = '';
        createStatus.ok(`“${room.name}” is ready. You are its GM.`);
        await load(room.id);
      } catch (error) {
        createStatus.error(explain(error));
        if (isSessionEnded(error)) onSessionEnded();
      }
    });
  });

  const node = el(
    'section',
    { class: 'card', testid: 'rooms-panel', 'aria-labelledby': 'rooms-title' },
    el('h2', { id: 'rooms-title' }, 'My rooms'),
    form,
    createStatus.node,
    listStatus.node,
    list,
  );

  async function load(highlightId) {
    // After signing in again, "your session ended" is old news; the typed name stays.
    if (createStatus.node.dataset.kind === 'error') createStatus.clear();
    listStatus.loading('Loading your rooms…');
    try {
      const { rooms } = await api.get('/api/rooms');
      list.replaceChildren(...rooms.map((room) => roomItem(room, room.id === highlightId)));
      if (rooms.length) listStatus.clear();
      else listStatus.info('No rooms yet — create one above, or open an invite link from your GM.');
      node.dataset.loaded = 'true';
    } catch (error) {
      listStatus.error(`Your rooms could not be loaded. ${explain(error)}`);
      if (isSessionEnded(error)) onSessionEnded();
    }
  }

  return { node, load };
}

function roomItem(room, fresh) {
  const gm = room.role === 'GM';
  return el(
    'li',
    { testid: 'room-item', dataset: { roomId: room.id, role: room.role }, class: fresh ? 'fresh' : '' },
    el('span', {}, el('span', { class: 'room-name', testid: 'room-name' }, room.name), ' ', el('span', { class: `badge ${gm ? 'badge-gm' : ''}`, testid: 'room-role' }, room.role), room.archived ? el('span', { class: 'badge', testid: 'room-archived' }, 'archived') : null),
    el(
      'span',
      { class: 'row-actions' },
      el('a', { class: 'button primary', href: tableUrl(room.id), testid: 'open-table' }, 'Open table'),
      gm ? el('a', { class: 'button', href: adminUrl(room.id), testid: 'open-admin' }, 'Admin') : null,
    ),
  );
}
