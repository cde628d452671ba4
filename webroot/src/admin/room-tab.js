// Room: what it is, the way to its table, its name and archive state, deleting it, and its archive file (export, import).
import { api } from '../common/api.js';
import { el, formatDateTime, statusLine } from '../common/dom.js';
import { explain } from '../common/errors.js';
import { askConfirm, askText } from '../common/ui/dialogs.js';
import { exportButton, importForm } from './archive.js';

export function roomTab({ room }) {
  const path = `/api/rooms/${encodeURIComponent(room.id)}`;
  return {
    id: 'room',
    label: 'Room',
    mount(panel) {
      const status = statusLine('room-status');
      const name = el('dd', { testid: 'room-name' }, room.name);
      const archivedBadge = el('span', { class: 'badge', testid: 'room-archived', hidden: !room.archived }, 'archived');
      const archive = el('button', { type: 'button', testid: 'room-archive', onclick: () => toggleArchive() });
      const showArchive = () => {
        archive.textContent = room.archived ? 'Bring back from the archive' : 'Archive';
        archivedBadge.hidden = !room.archived;
      };
      showArchive();

      async function change(body, done) {
        try {
          Object.assign(room, await api.patch(path, body));
          name.textContent = room.name;
          document.title = `${room.name} — Vertable admin`;
          document.querySelector('[data-testid=admin-title]')?.replaceChildren(room.name);
          showArchive();
          status.ok(done);
        } catch (error) {
          status.error(explain(error));
        }
      }

      async function rename() {
        const wanted = await askText({ title: 'Rename the room', label: 'Name', value: room.name, confirmLabel: 'Rename' });
        if (wanted && wanted !== room.name) await change({ name: wanted }, `The room is now called “${wanted}”.`);
      }

      async function toggleArchive() {
        if (room.archived) return change({ archived: false }, 'The room is back in everyone’s list.');
        const sure = await askConfirm({
          title: 'Archive this room?',
          message: 'It leaves the players’ room lists; you keep it in yours, marked archived, and can bring it back. Nothing is deleted.',
          confirmLabel: 'Archive',
        });
        if (sure) await change({ archived: true }, 'The room is archived.');
      }

      async function remove() {
        const typed = await askText({
          title: 'Delete this room for good?',
          label: `Everything in it goes: map, chat, sheets, images. Type its name, “${room.name}”, to delete it.`,
          placeholder: room.name,
          confirmLabel: 'Delete',
        });
        if (typed === null) return;
        try {
          await api.delete(`${path}?name=${encodeURIComponent(typed)}`);
          location.assign('/');
        } catch (error) {
          status.error(error.code === 'ROOM_NAME_MISMATCH' ? 'That is not the room’s name; nothing was deleted.' : explain(error));
        }
      }

      panel.append(
        el(
          'div',
          { class: 'card' },
          el('h2', {}, 'Room ', archivedBadge),
          status.node,
          el('dl', { class: 'facts' }, el('dt', {}, 'Name'), name, el('dt', {}, 'Created'), el('dd', {}, formatDateTime(room.createdAt)), el('dt', {}, 'Dice'), el('dd', {}, room.diceDialect === 'foundry' ? 'Foundry syntax' : 'Roll20 syntax')),
          el(
            'p',
            { class: 'row-actions' },
            el('a', { class: 'button primary', href: `/table.html?room=${encodeURIComponent(room.id)}`, testid: 'open-table' }, 'Open the table'),
            el('button', { type: 'button', testid: 'room-rename', onclick: rename }, 'Rename'),
            archive,
            el('button', { type: 'button', class: 'danger', testid: 'room-delete', onclick: remove }, 'Delete…'),
          ),
        ),
        el('div', { class: 'card' }, el('h2', {}, 'Export'), el('p', { class: 'muted' }, 'The whole room — its full event log and images — as one JSON file.'), exportButton(room)),
        el('div', { class: 'card' }, el('h2', {}, 'Import'), el('p', { class: 'muted' }, 'An exported file becomes a new room; you are its GM.'), importForm()),
      );
    },
  };
}
