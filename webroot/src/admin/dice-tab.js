// Dice statistics per player: how many rolls, the d20's faces, averages against fair dice, natural 20s and 1s.
import { api } from '../common/api.js';
import { el, statusLine } from '../common/dom.js';
import { explain } from '../common/errors.js';
import { averagesChart, d20Histogram } from './dice-chart.js';

export function diceTab({ roomId }) {
  return {
    id: 'dice',
    label: 'Dice statistics',
    mount(panel) {
      const status = statusLine('dice-status');
      const players = el('div', { class: 'grid-2', testid: 'dice-players' });
      panel.append(el('div', { class: 'card' }, el('h2', {}, 'Dice statistics'), el('p', { class: 'muted' }, 'Every roll made at this table, per player. Blind and GM rolls count too: only GMs see this page.'), status.node), players);

      async function load() {
        status.loading('Counting the rolls…');
        try {
          const stats = await api.get(`/api/rooms/${encodeURIComponent(roomId)}/dice/stats`);
          const rolled = (stats.players ?? []).filter((p) => p.rolls > 0);
          players.replaceChildren(...rolled.map(playerCard));
          if (rolled.length) status.clear();
          else status.info('No dice rolled in this room yet.');
        } catch (error) {
          players.replaceChildren();
          status.error(`The statistics could not be loaded. ${explain(error)}`);
        }
      }

      load();
      return { shown: load };
    },
  };
}

function playerCard(player) {
  const d20 = player.dice?.['20'];
  return el(
    'section',
    { class: 'card dice-player', testid: 'dice-player', dataset: { userId: player.userId } },
    el('h3', {}, player.displayName),
    el('p', { class: 'dice-summary' }, el('span', { testid: 'dice-rolls' }, `${player.rolls} ${player.rolls === 1 ? 'roll' : 'rolls'}`), ' · ', el('span', { class: 'nat20', testid: 'dice-nat20' }, `${player.nat20 ?? 0} × nat 20`), ' · ', el('span', { class: 'nat1', testid: 'dice-nat1' }, `${player.nat1 ?? 0} × nat 1`)),
    d20?.count ? el('figure', {}, d20Histogram(d20), el('figcaption', { class: 'hint' }, `d20 faces over ${d20.count} dice; dashed: a fair die`)) : el('p', { class: 'empty' }, 'No d20 rolled.'),
    el('figure', {}, averagesChart(player.dice), el('figcaption', { class: 'hint' }, 'Average per die; the tick is a fair die’s average')),
  );
}
