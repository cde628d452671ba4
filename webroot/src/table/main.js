// The table page: `table.html?room=<id>`. Wires the bridge connection, the room state, the map and the side panels.
import './table.css';
// The page's Content-Security-Policy forbids eval; this makes PixiJS build its shader bindings without it.
import 'pixi.js/unsafe-eval';
import { askText } from '../common/ui/dialogs.js';
import { api, resumeSession } from '../common/api.js';
import { createBus } from './bus.js';
import { createMap } from './map.js';
import { createChat } from './panels/chat.js';
import { createDiceTray } from './panels/dice.js';
import { createGmTools } from './panels/gm.js';
import { createInitiative } from './panels/initiative.js';
import { createParty } from './panels/party.js';
import { createSelection } from './panels/selection.js';
import { createRoom } from './room.js';
import { createToasts, el } from './ui.js';

const app = document.getElementById('app');
const roomId = new URLSearchParams(location.search).get('room');
const draftKey = `vertable.draft.${roomId}`;

function signInLink() {
  return el('a', { href: `/?next=${encodeURIComponent(location.pathname + location.search)}`, testid: 'sign-in-link' }, 'Sign in again');
}

function showProblem(title, ...body) {
  app.dataset.state = 'error';
  app.replaceChildren(el('div', { class: 'problem', testid: 'problem' }, el('h1', {}, title), ...body));
}

async function start() {
  if (!roomId) return showProblem('No room chosen', el('p', {}, 'Open a room from the '), el('a', { href: '/' }, 'start page'), '.');
  const session = resumeSession();
  if (!session) {
    return showProblem('You are not signed in', el('p', {}, 'Sign in or use your invite link to join this table.'), el('a', { href: '/', testid: 'sign-in-link' }, 'Go to the start page'));
  }
  let roomInfo;
  try {
    roomInfo = await api.get(`/api/rooms/${encodeURIComponent(roomId)}`);
  } catch (error) {
    if (error.status === 401) return showProblem('Your session has ended', el('p', {}, 'Sign in again to come back to this table.'), signInLink());
    return showProblem('This table cannot be opened', el('p', { testid: 'problem-detail' }, error.message), el('a', { href: '/' }, 'Back to your rooms'));
  }
  await openTable(session.user, roomInfo);
}

async function openTable(me, roomInfo) {
  document.title = `${roomInfo.name ?? 'Table'} — Vertable`;
  const status = el('div', { class: 'status', testid: 'connection-status', 'data-state': 'connecting', role: 'status' }, 'Connecting…');
  const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Map tools' });
  const panelToggle = el('button', { type: 'button', class: 'panel-toggle', testid: 'panel-toggle', 'aria-expanded': 'true' }, 'Panels');
  const mapHost = el('div', { class: 'map-host', testid: 'map' });
  const emptyScene = el('div', { class: 'map-empty', testid: 'map-empty', hidden: true });
  const side = el('aside', { class: 'side', testid: 'side' });
  const toasts = el('div', { class: 'toasts' });
  app.dataset.state = 'loading';
  app.replaceChildren(
    el('header', { class: 'topbar' }, el('a', { href: '/', class: 'brand' }, 'Vertable'), el('strong', { class: 'room-name', testid: 'room-name' }, roomInfo.name ?? ''), status, panelToggle),
    toolbar,
    el('main', { class: 'table-layout' }, el('div', { class: 'map-wrap' }, mapHost, emptyScene), side),
    toasts,
  );
  const notify = createToasts(toasts);
  panelToggle.addEventListener('click', () => {
    const open = !document.body.classList.toggle('panels-closed');
    panelToggle.setAttribute('aria-expanded', String(open));
  });
  if (matchMedia('(max-width: 700px)').matches) document.body.classList.add('panels-closed');

  let connection = { state: 'connecting' };
  let room;
  let map;
  let chat;
  let party;
  let primaryStream;
  const roomStream = `vtt.room.${roomId}`;
  const userStream = `vtt.user.${me.id}`;

  const bus = createBus({
    // The role's own stream joins once the first join told the role.
    addresses: () => [...new Set([primaryStream, roomStream, userStream].filter(Boolean))],
    onStatus: (next) => showStatus(next),
    onOpen: () => connected(),
    onMessage: (address, body) => route(address, body),
    onAuthLost: () => authLost(),
  });

  function showStatus(next) {
    if (next.error && next.state === connection.state) notify(next.detail, 'error');
    connection = next;
    status.dataset.state = next.state;
    const texts = {
      connecting: 'Connecting…',
      connected: 'Connected',
      reconnecting: 'Reconnecting…',
      offline: 'Offline',
      'signed-out': 'Signed out',
    };
    status.replaceChildren(el('span', { class: 'dot' }), ` ${texts[next.state] ?? next.state}`);
    status.title = next.detail ?? '';
    if (next.state === 'reconnecting' && next.detail) status.append(el('small', { class: 'status-detail' }, ` ${next.detail}`));
    if (next.state === 'offline') {
      status.append(el('small', {}, ' Check your network. '), el('button', { type: 'button', testid: 'retry-now', onclick: () => bus.retryNow() }, 'Retry now'));
    }
  }

  room = createRoom({
    roomId,
    bus,
    notify,
    onChange: (change) => changed(change),
    onChat: (event) => heard(event),
  });

  async function connected() {
    const first = !room.view();
    try {
      await room.connected();
    } catch (error) {
      app.dataset.state = 'error';
      notify(`Could not join the table: ${error.message}`, 'error');
      return;
    }
    if (first) {
      await build();
      // Events are taken from my role's stream only once the role is known (a GM must not apply the players' form);
      // what passed meanwhile comes with a sync.
      primaryStream = room.isGm() ? `vtt.room.${roomId}.gm` : roomStream;
      bus.registerMissing();
      await room.connected();
      chat.loadRecent();
      party.loadMembers();
    }
    app.dataset.state = 'ready';
  }

  /** A chat event for me: shown in the chat, and read by the tracker when it is an initiative roll it asked for. */
  function heard(event) {
    chat?.show(event);
    initiative?.heard(event);
  }

  function route(address, body) {
    if (!body) return;
    if (body.type === 'live') return map?.live(body);
    if (body.type === 'presence') return party?.presence(body);
    if (address === userStream) return heard(body);
    // A GM also hears the players' stream; its events are the players' form of what the GM stream carries.
    if (address === primaryStream) room.receive(body);
  }

  let selection;
  let initiative;
  let gmTools;
  let built = false;

  async function build() {
    if (built) return;
    built = true;
    const panels = {
      selection: el('section', { class: 'panel' }),
      chat: el('section', { class: 'panel panel-chat', testid: 'panel-chat' }),
      dice: el('section', { class: 'panel', testid: 'panel-dice' }),
      initiative: el('section', { class: 'panel', testid: 'panel-initiative' }),
      party: el('section', { class: 'panel', testid: 'panel-party' }),
      gm: el('section', { class: 'panel', testid: 'panel-gm' }),
    };
    side.replaceChildren(...Object.entries(panels).filter(([name]) => name !== 'gm' || room.isGm()).map(([, panel]) => panel));
    selection = createSelection({ host: panels.selection, roomId, room, me, notify });
    map = await createMap({
      host: mapHost,
      room,
      me,
      actions: {
        move: (tokenId, x, y) => room.moveToken(tokenId, x, y),
        live: (op, x, y, tokenId) => bus.send('vtt.in.live', { room: roomId, op, x, y, ...(tokenId ? { tokenId } : {}) }),
        fog: (mode, shape) => sceneCommand({ op: mode === 'cover' ? 'fog.cover' : 'fog.reveal', shape }),
        draw: (shape) => sceneCommand({ op: 'drawing.create', color: drawColour.value, width: 3, ...shape }),
        drawText: async (point) => {
          const text = await askText({ title: 'Text on the map', label: 'Text', confirmLabel: 'Place' });
          if (text) sceneCommand({ op: 'drawing.create', kind: 'text', points: [point], text, color: drawColour.value, width: 3 });
        },
        selected: (id) => selection.select(id),
        tokenMenu: (token, x, y) => selection.menu(token, x, y),
      },
    });
    chat = createChat({ host: panels.chat, room, me, notify });
    restoreDraft(chat.input);
    createDiceTray({ host: panels.dice, room, notify });
    initiative = createInitiative({ host: panels.initiative, room, selectedToken: () => selection.selected(), notify });
    party = createParty({ host: panels.party, roomId, room });
    if (room.isGm()) gmTools = createGmTools({ host: panels.gm, roomId, room, map, notify });
    buildToolbar();
    changed({ all: true });
  }

  function sceneCommand(body) {
    const scene = room.activeScene();
    if (!scene) return notify('There is no scene to draw on yet.', 'info');
    return room.command('vtt.in.map', { sceneId: scene.id, ...body }).catch((error) => notify(error.message, 'error'));
  }

  const drawColour = el('input', { type: 'color', value: '#ff5252', 'aria-label': 'Drawing colour', testid: 'draw-color' });
  function buildToolbar() {
    const tools = [
      ['select', 'Move', 'Select, drag tokens, pan'],
      ['ruler', 'Ruler', 'Measure in grid units'],
      ['ping', 'Ping', 'Show everyone a spot'],
      ['draw-freehand', 'Pen', 'Freehand drawing'],
      ['draw-line', 'Line', 'Straight line'],
      ['draw-rect', 'Box', 'Rectangle'],
      ['draw-circle', 'Circle', 'Circle'],
      ['draw-text', 'Text', 'Text label'],
    ];
    if (room.isGm()) tools.push(['fog-rect', 'Fog ▭', 'Fog rectangle'], ['fog-poly', 'Fog ⬠', 'Fog polygon: click points, double-click to close'], ['fog-brush', 'Fog brush', 'Paint fog']);
    const fogMode = el('select', { testid: 'fog-mode', 'aria-label': 'Fog mode' }, el('option', { value: 'reveal' }, 'Reveal'), el('option', { value: 'cover' }, 'Cover'));
    const buttons = tools.map(([name, label, title]) =>
      el('button', { type: 'button', title, 'aria-pressed': String(name === 'select'), testid: `tool-${name}`, onclick: () => choose(name) }, label),
    );
    function choose(name) {
      buttons.forEach((button) => button.setAttribute('aria-pressed', String(button.dataset.testid === `tool-${name}`)));
      map.setTool({ name, mode: fogMode.value, color: drawColour.value, brush: 35 });
    }
    fogMode.addEventListener('change', () => {
      const active = buttons.find((button) => button.getAttribute('aria-pressed') === 'true');
      choose(active.dataset.testid.slice(5));
    });
    toolbar.replaceChildren(
      ...buttons,
      drawColour,
      room.isGm() ? fogMode : '',
      el('button', { type: 'button', title: 'Zoom in', onclick: () => map.zoomBy(1.25) }, '+'),
      el('button', { type: 'button', title: 'Zoom out', onclick: () => map.zoomBy(0.8) }, '−'),
    );
  }

  function changed(change) {
    if (!map) return;
    map.render(change);
    const moved = (change.patch?.upsert?.tokens ?? []).map((token) => token.id);
    if (moved.length) map.settled(moved);
    selection.render();
    initiative.render();
    gmTools?.render();
    const scene = room.activeScene();
    emptyScene.hidden = !!scene;
    emptyScene.textContent = room.isGm() ? 'No scene yet: create one in GM tools.' : 'The GM has not shown a scene yet.';
  }

  function restoreDraft(input) {
    input.value = localStorage.getItem(draftKey) ?? '';
    input.addEventListener('input', () => localStorage.setItem(draftKey, input.value));
    input.form.addEventListener('submit', () => localStorage.removeItem(draftKey));
  }

  function authLost() {
    // Both a 401 and the session's own end lead here: one overlay is enough.
    if (document.querySelector('[data-testid=auth-lost]')) return;
    const overlay = el(
      'div',
      { class: 'auth-lost', testid: 'auth-lost', role: 'alertdialog' },
      el('h2', {}, 'Your session has ended'),
      el('p', {}, 'Sign in again to keep playing. What you typed in the chat is kept for when you are back.'),
      signInLink(),
    );
    document.body.append(overlay);
  }

  // Read-only facts for tests and tools: only what this screen already shows.
  window.__vertable = {
    state: () => ({ role: room.role(), activeScene: room.view()?.activeScene ?? null, ready: app.dataset.state === 'ready', viewAsPlayer: map?.viewAsPlayer() ?? false, pendingMoves: room.pendingMoves(), queued: room.queued() }),
    seq: () => room.seq(),
    connection: () => connection.state,
    tokens: () =>
      (map?.shownTokens() ?? []).map((token) => {
        const [screenX, screenY] = map.toScreen(token.x, token.y);
        return { id: token.id, name: token.name, x: token.x, y: token.y, screenX, screenY, hidden: !!token.hidden, owners: token.owners ?? [] };
      }),
    screenOf: (x, y) => map?.toScreen(x, y) ?? null,
    renderStats: () => map?.renderStats() ?? null,
    spriteAt: (id) => map?.spriteAt(id) ?? null,
  };
}

start().catch((error) => showProblem('Something went wrong', el('p', {}, error.message || String(error))));
