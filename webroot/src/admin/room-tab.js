// Room: what it is, the way to its table, and its archive (export, import).
import { el, formatDateTime } from '../common/dom.js';
import { exportButton, importForm } from './archive.js';

export function roomTab({ room }) {
  return {
    id: 'room',
    label: 'Room',
    mount(panel) {
      panel.append(
        el(
          'div',
          { class: 'card' },
          el('h2', {}, 'Room'),
          el('dl', { class: 'facts' }, el('dt', {}, 'Name'), el('dd', { testid: 'room-name' }, room.name), el('dt', {}, 'Created'), el('dd', {}, formatDateTime(room.createdAt)), el('dt', {}, 'Dice'), el('dd', {}, room.diceDialect === 'foundry' ? 'Foundry syntax' : 'Roll20 syntax')),
          el('a', { class: 'button primary', href: `/table.html?room=${encodeURIComponent(room.id)}`, testid: 'open-table' }, 'Open the table'),
        ),
        el('div', { class: 'card' }, el('h2', {}, 'Export'), el('p', { class: 'muted' }, 'The whole room — its full event log and images — as one JSON file.'), exportButton(room)),
        el('div', { class: 'card' }, el('h2', {}, 'Import'), el('p', { class: 'muted' }, 'An exported file becomes a new room; you are its GM.'), importForm()),
      );
    },
  };
}
