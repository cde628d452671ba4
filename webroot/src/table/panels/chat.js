// Chat log with roll cards, history paging on scroll-up, and a message box whose text is never lost: a line that
// cannot be sent stays queued (shown as "sending…") and goes out when the connection is back. A picker chooses whom a
// message is whispered to (no names to type or quote), inline [[rolls]] show their totals in place, one's own
// messages can be edited and deleted (a GM deletes any), and a search box reads the room's history.
import '../people.css';
import { api } from '../../common/api.js';
import { askConfirm, askFields } from '../../common/ui/ask.js';
import { el } from '../ui.js';
import { IN } from '../addresses.js';

const PAGE = 50;
const MAX_TEXT = 4000;
/** What the server lets an author edit: words, not rolls. */
const EDITABLE = new Set(['say', 'emote', 'ooc', 'whisper', 'desc', 'as']);
const ROSTER_FRESH_MS = 10_000;

export function createChat({ host, room, me, notify }) {
  const messages = new Map(); // seq → message element
  const byId = new Map(); // message id → {seq, message}
  let oldest = null;
  let more = true;
  let loading = false;
  let roster = [];
  let rosterAt = 0;

  const log = el('ol', { class: 'chat-log', testid: 'chat-log', 'aria-live': 'polite' });
  const empty = el('p', { class: 'empty', testid: 'chat-empty' }, 'No messages yet. Say hello, or roll with /r 1d20.');
  const target = el('select', { testid: 'whisper-to', 'aria-label': 'Send to', class: 'whisper-to', onfocus: () => loadRoster(), onchange: () => showTarget() }, el('option', { value: '' }, 'Everyone'));
  // Opening "As" looks again for new sheets.
  const refreshCharacters = () => loadCharacters();
  const input = el('textarea', {
    testid: 'chat-input',
    rows: 2,
    maxLength: MAX_TEXT,
    placeholder: 'Message, /r 1d20+5, [[1d20]] inline, /me …',
    'aria-label': 'Chat message',
  });
  const form = el('form', { class: 'chat-form', onsubmit: submit }, input, el('button', { type: 'submit', testid: 'chat-send' }, 'Send'));
  const speakAs = el('select', { testid: 'speak-as', 'aria-label': 'Speak as', class: 'speak-as', onfocus: () => refreshCharacters() }, el('option', { value: '' }, me.displayName));
  const asLabel = el('label', { class: 'chat-to', hidden: true }, el('span', {}, 'As'), speakAs);
  const toLine = el('div', { class: 'chat-lines' }, el('label', { class: 'chat-to' }, el('span', {}, 'To'), target), asLabel);

  const searchInput = el('input', { type: 'search', testid: 'chat-search-input', placeholder: 'Search this room’s chat', 'aria-label': 'Search the chat', maxLength: 200 });
  const searchResults = el('ol', { class: 'chat-log search-results', testid: 'chat-search-results' });
  const searchStatus = el('p', { class: 'empty', testid: 'chat-search-status', hidden: true });
  const searchBox = el(
    'div',
    { class: 'chat-search', hidden: true, testid: 'chat-search' },
    el('form', { class: 'chat-form', onsubmit: search }, searchInput, el('button', { type: 'submit', testid: 'chat-search-go' }, 'Search')),
    searchStatus,
    searchResults,
  );
  const searchToggle = el('button', { type: 'button', class: 'small', testid: 'chat-search-toggle', 'aria-expanded': 'false', title: 'Search the chat', onclick: () => toggleSearch() }, 'Search');
  host.append(el('div', { class: 'panel-head' }, el('h2', {}, 'Chat'), searchToggle), searchBox, log, empty, toLine, form);

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  log.addEventListener('scroll', () => {
    if (log.scrollTop < 40) loadOlder();
  });

  // ---- sending ----

  function submit(event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    const to = target.value;
    const body = { op: 'send', text };
    if (to) body.whisperTo = [to];
    if (speakAs.value) body.character = speakAs.value;
    const label = to ? ` (to ${target.selectedOptions[0]?.textContent})` : '';
    const pending = el('li', { class: 'message pending', testid: 'chat-pending' }, el('span', { class: 'who' }, me.displayName), label, ' ', text, el('small', {}, ' sending…'));
    log.append(pending);
    scrollToEnd();
    send(body, pending, text);
  }

  /** Sent through the room's outbox: kept and retried with the same cid while offline. */
  function send(body, pending, text) {
    room.command(IN.CHAT, body).then(
      () => pending.remove(),
      (error) => {
        pending.remove();
        // Refused (e.g. unknown /command): the text goes back into the box so the user can fix it.
        if (!input.value) input.value = text;
        notify(error.message, 'error');
      },
    );
  }

  /** Members by name (and "GM") for the picker; fetched when the picker is opened and it is older than a moment. */
  async function loadRoster(force = false) {
    if (!force && Date.now() - rosterAt < ROSTER_FRESH_MS) return;
    rosterAt = Date.now();
    try {
      roster = (await api.get(`/api/rooms/${encodeURIComponent(room.id())}/roster`)).members ?? [];
    } catch {
      return; // the picker keeps what it had; typing /w still works
    }
    const chosen = target.value;
    const others = roster.filter((member) => member.userId !== me.id).sort((a, b) => a.displayName.localeCompare(b.displayName));
    target.replaceChildren(
      el('option', { value: '' }, 'Everyone'),
      el('option', { value: 'gm' }, room.isGm() ? 'GMs only' : 'GM (whisper)'),
      ...others.map((member) => el('option', { value: member.userId }, `${member.displayName}${member.role === 'GM' ? ' (GM)' : ''}`)),
    );
    target.value = [...target.options].some((option) => option.value === chosen) ? chosen : '';
    showTarget();
    loadCharacters();
  }

  /** The sheets this member may speak as: their own (a GM also the NPCs). */
  async function loadCharacters() {
    let characters;
    try {
      characters = (await room.command(IN.DICE, { op: 'character.list' })).characters ?? [];
    } catch {
      return;
    }
    const mine = characters.filter((character) => character.ownerId === me.id || (room.isGm() && !character.ownerId));
    const chosen = speakAs.value;
    speakAs.replaceChildren(el('option', { value: '' }, me.displayName), ...mine.map((character) => el('option', { value: character.id }, character.name)));
    speakAs.value = mine.some((character) => character.id === chosen) ? chosen : '';
    asLabel.hidden = mine.length === 0;
  }

  function showTarget() {
    form.classList.toggle('whispering', !!target.value);
    input.placeholder = target.value ? `Whisper to ${target.selectedOptions[0]?.textContent} — only they (and you) see it` : 'Message, /r 1d20+5, [[1d20]] inline, /me …';
  }

  // ---- reading ----

  async function loadOlder() {
    if (loading || !more || oldest === null) return;
    loading = true;
    try {
      const page = await room.command(IN.CHAT, { op: 'history', before: oldest, limit: PAGE });
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
    loadRoster(true);
    try {
      const page = await room.command(IN.CHAT, { op: 'history', limit: PAGE });
      more = page.more;
      for (const message of page.messages ?? []) show(message, { quiet: true });
      if (oldest === null) more = false;
      scrollToEnd();
    } catch (error) {
      notify(`Chat history could not be loaded: ${error.message}`, 'error');
    }
  }

  function toggleSearch(open = searchBox.hidden) {
    searchBox.hidden = !open;
    searchToggle.setAttribute('aria-expanded', String(open));
    if (open) searchInput.focus();
  }

  /** Full-text search over what this reader may see of the room's history. */
  async function search(event) {
    event.preventDefault();
    const q = searchInput.value.trim();
    if (!q) return;
    searchStatus.hidden = false;
    searchStatus.textContent = 'Searching…';
    try {
      const page = await room.command(IN.CHAT, { op: 'search', q });
      const found = (page.messages ?? []).filter((message) => message.data && message.type !== 'redacted');
      searchResults.replaceChildren(...found.map((message) => render(message, context(), { actions: false })));
      searchStatus.textContent = found.length ? `${plural(found.length, 'message')} found.` : `No message matches “${q}”.`;
    } catch (error) {
      searchStatus.textContent = `The search failed: ${error.message}`;
    }
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function context() {
    return { me, gm: room.isGm(), edit, remove, revealedFor: (period) => room.dice().revealedFor(period) };
  }

  /** A chat event or history entry: whole, or a redacted stub (shown as nothing); edits and deletes change one. */
  function show(message, { quiet = false } = {}) {
    if (message.type === 'redacted' || !message.data) return;
    if (message.type === 'chat.edited') return edited(message.data);
    if (message.type === 'chat.deleted') return deleted(message.data);
    const seq = message.seq;
    if (oldest === null || seq < oldest) oldest = seq;
    if (message.data.id) byId.set(message.data.id, { seq, message });
    place(seq, render(message, context()));
    empty.hidden = true;
    if (!quiet) scrollToEnd();
  }

  function place(seq, element) {
    const existing = messages.get(seq);
    if (existing) existing.replaceWith(element);
    else {
      const after = [...messages.keys()].filter((key) => key > seq).sort((a, b) => a - b)[0];
      if (after !== undefined) messages.get(after).before(element);
      else log.querySelector('.pending') ? log.querySelector('.pending').before(element) : log.append(element);
    }
    messages.set(seq, element);
  }

  function edited(data) {
    const known = byId.get(data.id);
    if (!known) return;
    known.message = { ...known.message, edited: true, data: { ...known.message.data, text: data.text } };
    place(known.seq, render(known.message, context()));
  }

  function deleted(data) {
    const known = byId.get(data.id);
    if (!known) return;
    byId.delete(data.id);
    place(known.seq, el('li', { class: 'message deleted', testid: 'chat-deleted' }, 'A message was deleted.'));
  }

  async function edit(message) {
    const answer = await askFields({
      title: 'Edit your message',
      fields: [{ name: 'text', label: 'Message', value: message.data.text ?? '', maxlength: MAX_TEXT }],
      confirmLabel: 'Save',
    });
    const text = answer?.text?.trim();
    if (!text || text === message.data.text) return;
    room.command(IN.CHAT, { op: 'edit', messageId: message.data.id, text }).catch((error) => notify(`The edit was refused: ${error.message}`, 'error'));
  }

  async function remove(message) {
    const mine = message.data.from === me.id;
    const sure = await askConfirm({
      title: 'Delete this message?',
      message: mine ? 'It goes for everyone who could see it.' : `${message.data.name || 'Its author'}’s message goes for everyone who could see it.`,
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!sure) return;
    room.command(IN.CHAT, { op: 'delete', messageId: message.data.id }).catch((error) => notify(`The message could not be deleted: ${error.message}`, 'error'));
  }

  return { show, loadRecent, input, characters: () => loadCharacters() };
}

function render(message, ctx, { actions = true } = {}) {
  const data = message.data;
  if (message.type === 'chat.deleted' || data.deleted) return el('li', { class: 'message deleted', testid: 'chat-deleted' }, 'A message was deleted.');
  const mine = data.from === ctx.me.id;
  const person = (mine ? ctx.me.displayName : data.name) || 'Someone';
  // A character speaks with its player's name beside it; a GM's /as speaker stands alone.
  const who = data.speaker || (data.character ? `${data.character} (${person})` : person);
  const item = el('li', { class: `message kind-${data.kind ?? 'say'}`, testid: 'chat-message', 'data-seq': message.seq, 'data-mine': String(mine) });
  if (data.kind === 'whisper' || data.to) {
    const to = (data.to ?? []).map((entry) => (entry.gm ? 'the GMs' : entry.id === ctx.me.id ? 'you' : entry.name)).join(', ');
    item.classList.add('whisper');
    item.append(el('div', { class: 'whisper-label', testid: 'whisper-label' }, mine ? `Whisper to ${to || 'nobody'}` : `Whisper from ${who}${to ? ` to ${to}` : ''}`));
  }
  if (data.mode && data.mode !== 'public') item.append(el('div', { class: 'mode-label', testid: 'mode-label' }, modeLabel(data, mine, ctx.gm)));
  const inline = data.kind !== 'roll' && data.rolls?.length ? data.rolls : null;
  const text = inline ? withInlineRolls(data.text ?? '', inline) : [data.text ?? ''];
  if (data.kind === 'emote') item.append(el('em', {}, `${who} `, ...text));
  else if (data.kind === 'desc') item.append(el('p', { class: 'desc' }, ...text));
  else if (data.kind === 'roll') item.append(el('span', { class: 'who' }, who), data.flavor ? el('span', { class: 'flavor' }, ` ${data.flavor}`) : '');
  else item.append(el('span', { class: 'who' }, who), ' ', el('span', { class: 'text', testid: 'chat-text' }, ...text));
  if (message.edited) item.append(el('small', { class: 'edited', testid: 'chat-edited' }, ' (edited)'));
  if (data.hidden) {
    // A blind roll's roller: what was rolled, never the result.
    const rolled = (data.rolls ?? []).map((roll) => roll.expression).join(', ');
    item.append(el('p', { class: 'hidden-roll', testid: 'blind-teaser' }, `You rolled ${rolled || 'dice'} in secret: only the GM sees the result.`));
  } else if (inline) {
    const details = el('details', { class: 'inline-dice' }, el('summary', {}, inline.length === 1 ? 'The roll' : `The ${inline.length} rolls`));
    for (const roll of inline) details.append(rollCard(roll, ctx));
    item.append(details);
  } else for (const roll of data.rolls ?? []) item.append(rollCard(roll, ctx));
  if (actions && data.id) {
    const buttons = [];
    if (mine && EDITABLE.has(data.kind ?? 'say') && !data.rolls?.length)
      buttons.push(el('button', { type: 'button', class: 'small', testid: 'chat-edit', title: 'Edit your message', onclick: () => ctx.edit(message) }, 'Edit'));
    if (mine || ctx.gm) buttons.push(el('button', { type: 'button', class: 'small', testid: 'chat-delete', title: 'Delete this message', onclick: () => ctx.remove(message) }, 'Delete'));
    if (buttons.length) item.append(el('span', { class: 'message-actions' }, ...buttons));
  }
  return item;
}

/** Who sees a roll, said from the reader's side. */
function modeLabel(data, mine, gm) {
  if (data.mode === 'gm') {
    if (mine) return gm ? 'GM roll (only the GMs see it)' : 'GM roll (only you and the GM see it)';
    return `GM roll by ${data.name || 'a player'} (only the GMs see it)`;
  }
  if (data.mode === 'blind') return mine && !gm ? 'Blind roll' : `Blind roll${mine ? '' : ` by ${data.name || 'a player'}`} (the roller does not see the result)`;
  if (data.mode === 'self') return 'Self roll (only you see it)';
  return data.mode;
}

/** The text with each [[…]] replaced by its roll's total, in the order the server found them (InlineRolls). */
export function withInlineRolls(text, rolls) {
  const parts = [];
  let at = 0;
  let index = 0;
  for (const span of inlineSpans(text)) {
    parts.push(text.slice(at, span.start));
    const roll = rolls[index++];
    parts.push(
      roll
        ? el('span', { class: 'inline-roll', testid: 'inline-roll', title: `${roll.expression}: ${roll.text ?? roll.total}`, tabindex: 0 }, String(roll.total ?? '?'))
        : text.slice(span.start, span.end),
    );
    at = span.end;
  }
  parts.push(text.slice(at));
  return parts.filter((part) => part !== '');
}

/** The same rule as the server's InlineRolls.find: single brackets nest inside [[…]], which ends at the first ]] outside them. */
export function inlineSpans(text) {
  const spans = [];
  let i = text.indexOf('[[');
  while (i >= 0) {
    let depth = 0;
    let end = -1;
    for (let j = i + 2; j < text.length; j++) {
      const c = text[j];
      if (c === '[') depth++;
      else if (c === ']') {
        if (depth > 0) depth--;
        else if (text[j + 1] === ']') {
          end = j;
          break;
        }
      }
    }
    if (end < 0) break;
    spans.push({ start: i, end: end + 2 });
    i = text.indexOf('[[', end + 2);
  }
  return spans;
}

export function plural(count, word) {
  return `${count} ${count === 1 ? word : `${word}s`}`;
}

/** Every die shown; dropped struck through, exploded and rerolled marked; the total big; verification on demand. */
export function rollCard(roll, ctx = {}) {
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
    const suffix = roll.successes !== undefined ? ` (${roll.successes} ${roll.successes === 1 ? 'success' : 'successes'})` : '';
    card.append(el('div', { class: 'roll-total', testid: 'roll-total' }, `${roll.total}${suffix}`));
  }
  if (roll.text) card.append(el('div', { class: 'roll-text' }, roll.text));
  if (roll.verify) card.append(verifyDetails(roll, ctx));
  return card;
}

/** The roll's verification data, and a check in this browser once the GM has revealed the period's seed. */
function verifyDetails(roll, ctx) {
  const v = roll.verify;
  const result = el('p', { class: 'verify-result', testid: 'verify-result', role: 'status' });
  const check = el('button', { type: 'button', class: 'small', testid: 'verify-roll' }, 'Check this roll');
  const details = el('details', { class: 'roll-verify' }, el('summary', {}, 'Verify'));
  details.append(el('dl', {}, ...[['Seed period', v.period], ['Roll number', v.nonce], ['Client seed', v.clientSeed || '(none)'], ['Commitment', v.commitment]].flatMap(([k, value]) => [el('dt', {}, k), el('dd', {}, String(value ?? '—'))])));
  check.addEventListener('click', async () => {
    const revealed = ctx.revealedFor?.(v.period);
    if (!revealed) {
      result.dataset.outcome = 'waiting';
      result.textContent = 'The seed of this period is still secret. Once the GM rotates the seed, this roll can be checked here.';
      return;
    }
    result.textContent = 'Checking…';
    // Loaded on first use: most players never verify a roll, and the first load has a budget.
    const { verifyRoll } = await import('../verify.js');
    const outcome = await verifyRoll(roll, revealed.seed);
    result.dataset.outcome = outcome.ok ? 'match' : 'mismatch';
    result.textContent = outcome.ok ? '✔ Match: these dice come from the committed seed.' : `✘ Mismatch: ${outcome.reason}`;
  });
  details.append(check, result);
  return details;
}
