// Without a room: the rooms I am a GM of, each with its admin and table, and importing a room.
import { api } from '../common/api.js';
import { el, statusLine } from '../common/dom.js';
import { explain } from '../common/errors.js';
import { importForm } from './archive.js';

export function overviewTab() {
  return {
    id: 'rooms',
    label: 'My rooms',
    mount(panel) {
      const status = statusLine('overview-status');
      const list = el('ul', { class: 'list', testid: 'gm-rooms' });
      panel.append(el('div', { class: 'card' }, el('h2', {}, 'Rooms you run'), status.node, list), el('div', { class: 'card' }, el('h2', {}, 'Import a room'), importForm()));
      const load = async () => {
        status.loading('Loading your rooms…');
        try {
          const { rooms } = await api.get('/api/rooms');
          const mine = rooms.filter((room) => room.role === 'GM');
          list.replaceChildren(
            ...mine.map((room) =>
              el(
                'li',
                { testid: 'gm-room', dataset: { roomId: room.id } },
                el('span', { class: 'room-name' }, room.name),
                el('span', { class: 'row-actions' }, el('a', { class: 'button primary', href: `/admin.html?room=${encodeURIComponent(room.id)}` }, 'Administer'), el('a', { class: 'button', href: `/table.html?room=${encodeURIComponent(room.id)}` }, 'Open table')),
              ),
            ),
          );
          if (mine.length) status.clear();
          else status.info('You are not a GM of any room yet — create one on the home page.');
        } catch (error) {
          status.error(`Your rooms could not be loaded. ${explain(error)}`);
        }
      };
      load();
      return { shown: load };
    },
  };
}
