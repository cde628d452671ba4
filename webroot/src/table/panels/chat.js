// Chat log with roll cards, history paging on scroll-up, and a message box whose text is never lost: a line that
// cannot be sent stays queued (shown as "sending…") and goes out when the connection is back.
import '../people.css';
import { el } from '../ui.js';

const PAGE = 50;

export function createChat({ host, room, me, notify }) {
  const messages = new Map(); // seq → message element
  let oldest = null;
  let more = true;
  let loading = false;

  const log = el('ol', { class: 'chat-log', testid: 'chat-log', 'aria-live': 'polite' });
  const empty = el('p', { class: 'empty', testid: 'chat-empty' }, 'No messages yet. Say hello, or roll with /r 1d20.');
  const input = el('textarea', {
    testid: 'chat-input',
    rows: 2,
    maxLength: 4000,
    placeholder: 'Message, /r 1d20+5, /w Name text, /me …',
    'aria-label': 'Chat message',
  });
  const form = el('form', { class: 'chat-form', onsubmit: submit }, input, el('button', { type: 'submit', testid: 'chat-send' }, 'Send'));
  host.append(el('h2', {}, 'Chat'), log, empty, form);

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  log.addEventListener('scroll', () => {
    if (log.scrollTop < 40) loadOlder();
  });

  function submit(event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    const pending = el('li', { class: 'message pending', testid: 'chat-pending' }, el('span', { class: 'who' }, me.displayName), ' ', text, el('small', {}, ' sending…'));
    log.append(pending);
    scrollToEnd();
    send({ op: 'send', text }, pending, text);
  }

  /** Sent through the room's outbox: kept and retried with the same cid while offline. */
  function send(body, pending, text) {
    room.command('vtt.in.chat', body).then(
      () => pending.remove(),
      (error) => {
        pending.remove();
        // Refused (e.g. unknown /command): the text goes back into the box so the user can fix it.
        if (!input.value) input.value = text;
        notify(error.message, 'error');
      },
    );
  }

  async function loadOlder() {
    if (loading || !more || oldest === null) return;
    loading = true;
    try {
      const page = await room.command('vtt.in.chat', { op: 'history', before: oldest, limit: PAGE });
      more = page.more;
      const height = log.scrollHeight;
      for (const message of page.messages ?? []) show(message, { quiet: true });
      log.scrollTop += log.scrollHeight - height;
    } catch (error) {
      notify(`Older messages could not be loaded: ${error.message}`, 'error');
    } finally {
      loading = false;
    }
  }

  /** The newest page, when the table opens. */
  async function loadRecent() {
    try {
      const page = await room.command('vtt.in.chat', { op: 'history', limit: PAGE });
      more = page.more;
      for (const message of page.messages ?? []) show(message, { quiet: true });
      if (oldest === null) more = false;
      scrollToEnd();
    } catch (error) {
      notify(`Chat history could not be loaded: ${error.message}`, 'error');
    }
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  /** A chat event or history entry: whole, or a redacted stub (shown as nothing). */
  function show(message, { quiet = false } = {}) {
    if (message.type === 'redacted' || !message.data) return;
    const seq = message.seq;
    if (oldest === null || seq < oldest) oldest = seq;
    const element = render(message);
    const existing = messages.get(seq);
    if (existing) existing.replaceWith(element);
    else {
      const after = [...messages.keys()].filter((key) => key > seq).sort((a, b) => a - b)[0];
      if (after !== undefined) messages.get(after).before(element);
      else log.querySelector('.pending') ? log.querySelector('.pending').before(element) : log.append(element);
    }
    messages.set(seq, element);
    empty.hidden = true;
    if (!quiet) scrollToEnd();
  }

  return { show, loadRecent, input };
}

function render(message) {
  const data = message.data;
  if (message.type === 'chat.deleted' || data.deleted) return el('li', { class: 'message deleted' }, 'A message was deleted.');
  const who = data.speaker || data.name || 'Someone';
  const item = el('li', { class: `message kind-${data.kind ?? 'say'}`, testid: 'chat-message', 'data-seq': message.seq });
  if (data.kind === 'whisper' || data.to) {
    const to = (data.to ?? []).map((entry) => entry.name ?? entry).join(', ');
    item.classList.add('whisper');
    item.append(el('div', { class: 'whisper-label', testid: 'whisper-label' }, `Whisper from ${who} to ${to || 'you'}`));
  }
  if (data.mode && data.mode !== 'public') item.append(el('div', { class: 'mode-label' }, modeLabel(data.mode)));
  if (data.kind === 'emote') item.append(el('em', {}, `${who} ${data.text ?? ''}`));
  else if (data.kind === 'desc') item.append(el('p', { class: 'desc' }, data.text ?? ''));
  else if (data.kind === 'roll') item.append(el('span', { class: 'who' }, who), data.flavor ? el('span', { class: 'flavor' }, ` ${data.flavor}`) : '');
  else item.append(el('span', { class: 'who' }, who), ' ', el('span', { class: 'text' }, data.text ?? ''));
  if (data.hidden) item.append(el('p', { class: 'hidden-roll' }, 'A blind roll: only the GM sees the result.'));
  for (const roll of data.rolls ?? []) item.append(rollCard(roll));
  return item;
}

function modeLabel(mode) {
  return { gm: 'GM roll (you and the GM)', blind: 'Blind roll (GM only)', self: 'Self roll (only you)' }[mode] ?? mode;
}

/** Every die shown; dropped struck through, exploded and rerolled marked; the total big; verification on demand. */
export function rollCard(roll) {
  const card = el('div', { class: 'roll-card', testid: 'roll-card' });
  card.append(el('div', { class: 'roll-expression' }, roll.expression ?? ''));
  const dice = el('div', { class: 'roll-dice' });
  for (const term of roll.dice ?? []) {
    const group = el('span', { class: 'die-group', title: term.notation ?? '' });
    for (const die of term.rolls ?? []) {
      const classes = ['die', `d${term.faces}`];
      const marks = [];
      if (die.dropped) classes.push('dropped');
      if (die.rerolled) (classes.push('rerolled'), marks.push('rerolled'));
      if (die.exploded) (classes.push('exploded'), marks.push('exploded'));
      if (die.success) classes.push('success');
      if (die.failure) classes.push('failure');
      if (die.value === term.faces) classes.push('max');
      if (die.value === 1) classes.push('min');
      group.append(el('span', { class: classes.join(' '), testid: 'die', title: [`d${term.faces}`, die.dropped && 'dropped', ...marks].filter(Boolean).join(', ') }, String(die.value)));
    }
    if (term.label) group.append(el('small', {}, ` ${term.label}`));
    dice.append(group);
  }
  card.append(dice);
  if (roll.total !== undefined) {
    const suffix = roll.successes !== undefined ? ` (${roll.successes} successes)` : '';
    card.append(el('div', { class: 'roll-total', testid: 'roll-total' }, `${roll.total}${suffix}`));
  }
  if (roll.text) card.append(el('div', { class: 'roll-text' }, roll.text));
  if (roll.verify) {
    const details = el('details', { class: 'roll-verify' }, el('summary', {}, 'Verify'));
    const v = roll.verify;
    details.append(el('dl', {}, ...[['Period', v.period], ['Nonce', v.nonce], ['Client seed', v.clientSeed], ['Commitment', v.commitment]].flatMap(([k, value]) => [el('dt', {}, k), el('dd', {}, String(value ?? '—'))])));
    details.append(el('p', {}, 'After the GM rotates the seed, anyone can recompute this roll (docs/dice-verification.md).'));
    card.append(details);
  }
  return card;
}
