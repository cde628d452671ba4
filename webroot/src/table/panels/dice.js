// Dice tray: one click per die, a custom expression, and the roll mode (public, GM, blind, self).
import { el } from '../ui.js';

const DICE = [4, 6, 8, 10, 12, 20, 100];

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
    room.command('vtt.in.dice', { op: 'roll', expression: text, mode: mode.value }).catch((error) => notify(`Roll refused: ${error.message}`, 'error'));
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
  host.append(el('h2', {}, 'Dice'), el('div', { class: 'dice-buttons' }, buttons), form, el('label', {}, 'Mode ', mode));
  return { mode: () => mode.value };
}
