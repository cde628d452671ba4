// Initiative tracker: the GM runs it (add selected token, roll, sort, turns, effects); players follow.
import { el } from '../ui.js';
import { askConfirm, askFields } from '../../common/ui/ask.js';
import { IN, mapCommand } from '../addresses.js';

export function createInitiative({ host, room, selectedToken, notify }) {
  const list = el('ol', { class: 'initiative', testid: 'initiative-list' });
  const round = el('span', { testid: 'initiative-round' });
  const controls = el('div', { class: 'initiative-controls' });
  host.append(el('h2', {}, 'Initiative ', round), list, controls);

  const map = mapCommand(room, notify);

  function gmControls() {
    controls.replaceChildren(
      el('button', { type: 'button', testid: 'initiative-add', onclick: addSelected }, 'Add selected'),
      el('button', { type: 'button', testid: 'initiative-roll', onclick: rollAll }, 'Roll d20'),
      el('button', { type: 'button', onclick: () => map({ op: 'initiative.sort' }) }, 'Sort'),
      el('button', { type: 'button', testid: 'initiative-previous', onclick: () => map({ op: 'initiative.previous' }) }, '◀ Prev'),
      el('button', { type: 'button', testid: 'initiative-next', onclick: () => map({ op: 'initiative.next' }) }, 'Next ▶'),
      el('button', { type: 'button', testid: 'initiative-clear', onclick: clearAll }, 'Clear'),
    );
  }

  function addSelected() {
    const token = selectedToken();
    if (!token) return notify('Select a token on the map first.', 'info');
    map({ op: 'initiative.add', tokenId: token.id, value: 0 });
  }

  // A roll's answer gives its seq; its result arrives as a chat event, before or after that answer.
  const results = new Map();
  const waiting = new Map();

  /** Every chat event passes here: the totals of the rolls this tracker is waiting for are taken from them. */
  function heard(event) {
    const total = event?.data?.rolls?.[0]?.total;
    if (typeof event?.seq !== 'number' || typeof total !== 'number') return;
    const resolve = waiting.get(event.seq);
    if (resolve) {
      waiting.delete(event.seq);
      resolve(total);
      return;
    }
    results.set(event.seq, total);
    if (results.size > 50) results.delete(results.keys().next().value);
  }

  function totalOf(seq) {
    if (results.has(seq)) {
      const total = results.get(seq);
      results.delete(seq);
      return Promise.resolve(total);
    }
    return new Promise((resolve, reject) => {
      waiting.set(seq, resolve);
      setTimeout(() => waiting.delete(seq) && reject(new Error('the roll did not arrive; roll again')), 10_000);
    });
  }

  /** A d20 per entry on the server's verifiable dice, as a GM roll (its card shows in the GM's chat). */
  async function rollAll() {
    try {
      for (const entry of room.view()?.initiative?.entries ?? []) {
        const answer = await room.command(IN.DICE, { op: 'roll', expression: '1d20', mode: 'gm', flavor: `Initiative: ${entry.name ?? ''}`.trim() });
        await map({ op: 'initiative.set', entryId: entry.id, value: await totalOf(answer.seq) });
      }
      await map({ op: 'initiative.sort' });
    } catch (error) {
      notify(`Initiative was not rolled: ${error.message}`, 'error');
    }
  }

  function render() {
    const initiative = room.view()?.initiative ?? { entries: [], turn: 0, round: 1 };
    const gm = room.isGm();
    round.textContent = `— round ${initiative.round}`;
    if (gm && !controls.childElementCount) gmControls();
    if (!gm) controls.replaceChildren();
    if (initiative.entries.length === 0) {
      list.replaceChildren(el('li', { class: 'empty' }, gm ? 'Select tokens and press "Add selected".' : 'No combat yet.'));
      return;
    }
    list.replaceChildren(
      ...initiative.entries.map((entry, index) => {
        const item = el('li', { class: index === initiative.turn ? 'current' : '', testid: 'initiative-entry', 'aria-current': index === initiative.turn ? 'true' : undefined });
        item.append(el('span', { class: 'value' }, String(entry.value)), ' ', el('span', { class: 'name' }, entry.name));
        for (const effect of entry.effects ?? []) item.append(el('span', { class: 'effect' }, `${effect.name} (${effect.rounds})`));
        if (gm) {
          item.append(
            el('button', { type: 'button', title: 'Set value', onclick: () => setValue(entry) }, '#'),
            el('button', { type: 'button', title: 'Add effect', onclick: () => addEffect(entry) }, '+fx'),
            el('button', { type: 'button', title: 'Remove', onclick: () => map({ op: 'initiative.remove', entryId: entry.id }) }, '×'),
          );
        }
        return item;
      }),
    );
  }

  async function clearAll() {
    const sure = await askConfirm({
      title: 'Clear the tracker?',
      message: 'Every entry and its effects leave the initiative order.',
      confirmLabel: 'Clear',
      danger: true,
    });
    if (sure) map({ op: 'initiative.clear' });
  }

  async function setValue(entry) {
    const answer = await askFields({
      title: `Initiative for ${entry.name}`,
      fields: [{ name: 'value', label: 'Initiative', type: 'number', value: String(entry.value), min: -999, max: 999 }],
      confirmLabel: 'Set',
    });
    const value = Number(answer?.value);
    // Cancel (null) or an empty answer keeps the value; Number('') would be 0.
    if (String(answer?.value ?? '').trim() && Number.isFinite(value)) map({ op: 'initiative.set', entryId: entry.id, value });
  }

  async function addEffect(entry) {
    const answer = await askFields({
      title: `Effect on ${entry.name}`,
      fields: [
        { name: 'name', label: 'Effect', placeholder: 'e.g. Bless', maxlength: 40 },
        { name: 'rounds', label: 'Rounds', type: 'number', value: '10', min: 1, max: 999 },
      ],
      confirmLabel: 'Add effect',
    });
    const name = answer?.name?.trim();
    if (!name) return;
    const rounds = Number(answer.rounds);
    map({ op: 'initiative.effect', entryId: entry.id, name, rounds: Number.isFinite(rounds) && rounds > 0 ? rounds : 1 });
  }

  return { render, heard };
}
