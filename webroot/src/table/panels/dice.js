// Dice tray: one click per die, a custom expression, and the roll mode (public, GM, blind, self). Below it the room's
// fair-dice facts for everyone (dialect, the current seed period's commitment, the last revealed seed) and, for the
// GM, the dialect choice and the seed rotation that reveals the period's seed.
import { askConfirm } from '../../common/ui/ask.js';
import { el } from '../ui.js';
import { IN } from '../addresses.js';

const DICE = [4, 6, 8, 10, 12, 20, 100];
const DIALECTS = { roll20: 'Roll20', foundry: 'Foundry' };

export function createDiceTray({ host, room, notify }) {
  const mode = el(
    'select',
    { testid: 'roll-mode', 'aria-label': 'Roll mode' },
    el('option', { value: 'public' }, 'Public'),
    el('option', { value: 'gm' }, 'GM only'),
    el('option', { value: 'blind' }, 'Blind (GM sees)'),
    el('option', { value: 'self' }, 'Self'),
  );
  const expression = el('input', { testid: 'dice-expression', placeholder: '2d20kh1+5', 'aria-label': 'Dice expression', maxLength: 500 });

  function roll(text) {
    room.command(IN.DICE, { op: 'roll', expression: text, mode: mode.value }).catch((error) => notify(`Roll refused: ${error.message}`, 'error'));
  }

  const buttons = DICE.map((faces) => el('button', { type: 'button', class: 'die-button', testid: `roll-d${faces}`, onclick: () => roll(`1d${faces}`) }, `d${faces}`));
  const form = el(
    'form',
    {
      class: 'dice-form',
      onsubmit: (event) => {
        event.preventDefault();
        if (expression.value.trim()) roll(expression.value.trim());
      },
    },
    expression,
    el('button', { type: 'submit', testid: 'dice-roll' }, 'Roll'),
  );
  const fairness = el('div', { class: 'dice-fairness', testid: 'dice-fairness' });
  host.append(el('h2', {}, 'Dice'), el('div', { class: 'dice-buttons' }, buttons), form, el('label', {}, 'Mode ', mode), fairness);

  let shown = '';
  function render() {
    const dice = room.dice();
    const key = JSON.stringify([dice.dialect, dice.period, dice.commitment, dice.revealed?.period, room.isGm()]);
    if (key === shown) return;
    shown = key;
    const facts = [
      el('dt', {}, 'Syntax'),
      el('dd', { testid: 'dice-dialect' }, DIALECTS[dice.dialect] ?? dice.dialect),
      el('dt', {}, `Seed period ${dice.period}`),
      el('dd', {}, el('code', { class: 'hash', testid: 'dice-commitment', title: 'SHA-256 of this period’s secret seed, published before its first roll' }, dice.commitment ?? 'not known yet')),
    ];
    if (dice.revealed)
      facts.push(el('dt', {}, `Period ${dice.revealed.period} seed`), el('dd', {}, el('code', { class: 'hash', testid: 'dice-revealed' }, dice.revealed.seed)));
    const parts = [el('h3', {}, 'Fair dice'), el('dl', { class: 'facts' }, ...facts)];
    parts.push(el('p', { class: 'hint' }, 'Each roll comes from this period’s secret seed. When the GM rotates the seed it is revealed, and every roll card’s “Verify” checks its roll in your browser.'));
    if (room.isGm()) {
      const dialect = el('select', { testid: 'dice-dialect-choice', 'aria-label': 'Dice syntax', onchange: () => setDialect(dialect.value) }, ...Object.entries(DIALECTS).map(([value, label]) => el('option', { value, selected: value === dice.dialect }, label)));
      parts.push(el('div', { class: 'gm-dice' }, el('label', {}, 'Syntax ', dialect), el('button', { type: 'button', testid: 'dice-rotate', onclick: rotate }, 'Rotate seed…')));
    }
    fairness.replaceChildren(...parts);
  }

  async function setDialect(dialect) {
    try {
      await room.command(IN.MAP, { op: 'room.settings', dialect });
      notify(`Dice now read ${DIALECTS[dialect]} syntax.`);
    } catch (error) {
      notify(`The syntax was not changed: ${error.message}`, 'error');
      shown = '';
      render();
    }
  }

  async function rotate() {
    const sure = await askConfirm({
      title: 'Rotate the dice seed?',
      message: `Period ${room.dice().period}’s seed is revealed to everyone, so all its rolls can be checked, and a new secret seed starts with its commitment published now.`,
      confirmLabel: 'Rotate',
    });
    if (!sure) return;
    try {
      await room.command(IN.ROOM, { op: 'dice.seed.rotate' });
    } catch (error) {
      notify(`The seed was not rotated: ${error.message}`, 'error');
    }
  }

  render();
  return { mode: () => mode.value, render };
}
