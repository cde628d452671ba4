// The table page: `table.html?room=<id>`. Wires the bridge connection, the room state, the map and the side panels.
import './table.css';
// The page's Content-Security-Policy forbids eval; this makes PixiJS build its shader bindings without it.
import 'pixi.js/unsafe-eval';
import { api, resumeOrRecover } from '../common/api.js';
import { createBus, readableCode, REMOVED_CODES } from './bus.js';
import { createMap } from './map.js';
import { createChat } from './panels/chat.js';
import { createDiceTray } from './panels/dice.js';
import { createJournal } from './panels/journal.js';
import { createParty } from './panels/party.js';
import { createSelection } from './panels/selection.js';
import { createSheets } from './panels/sheets.js';
import { createSideTabs } from './layout/tabs.js';
import { createRoom } from './room.js';
import { createToasts, el } from './ui.js';
import { IN, mapCommand } from './addresses.js';
import { MESSAGES } from '../common/messages.js';

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
  const session = await resumeOrRecover();
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
  const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Map tools', testid: 'toolbar' });
  const panelToggle = el('button', { type: 'button', class: 'panel-toggle', testid: 'panel-toggle', 'aria-expanded': 'true' }, 'Hide panels');
  const gmLinks = el('div', { class: 'gm-links', testid: 'gm-links' });
  const mapHost = el('div', { class: 'map-host', testid: 'map' });
  const emptyScene = el('div', { class: 'map-empty', testid: 'map-empty', hidden: true });
  const selectionHost = el('div', { class: 'selection-card', testid: 'selection-card', hidden: true });
  const side = el('aside', { class: 'side', testid: 'side' });
  const toasts = el('div', { class: 'toasts' });
  app.dataset.state = 'loading';
  app.replaceChildren(
    el('header', { class: 'topbar' }, el('a', { href: '/', class: 'brand' }, 'Vertable'), el('strong', { class: 'room-name', testid: 'room-name' }, roomInfo.name ?? ''), status, gmLinks, panelToggle),
    toolbar,
    el('main', { class: 'table-layout' }, el('div', { class: 'map-wrap' }, mapHost, emptyScene, selectionHost), side),
    toasts,
  );
  const notify = createToasts(toasts);
  panelToggle.addEventListener('click', () => {
    const open = !document.body.classList.toggle('panels-closed');
    panelToggle.setAttribute('aria-expanded', String(open));
    panelToggle.textContent = open ? 'Hide panels' : 'Show panels';
  });

  let connection = { state: 'connecting' };
  let room;
  let map;
  let chat;
  let party;
  let sheets;
  let journal;
  let tray;
  let primaryStream;
  const roomStream = `vtt.room.${roomId}`;
  const userStream = `vtt.user.${me.id}`;

  const bus = createBus({
    // The role's own stream joins once the first join told the role.
    addresses: () => [...new Set([primaryStream, roomStream, userStream].filter(Boolean))],
    onStatus: (next) => showStatus(next),
    onOpen: () => connected(),
    onMessage: (address, body) => route(address, body),
    onAuthLost: (why) => authLost(why),
    onRemoved: (error) => removedFromRoom(error),
  });
  let roleChanged = false;

  function showStatus(next) {
    if (next.error?.code === 'ROLE_CHANGED') {
      // The server closes this socket next; the new one joins again and the page takes the new role's form.
      roleChanged = true;
      primaryStream = null;
      notify(`${next.detail ? capitalised(next.detail) + '. ' : ''}${readableCode('ROLE_CHANGED')}`);
    } else if (next.error && next.state === connection.state) notify(next.detail, 'error');
    connection = next;
    status.dataset.state = next.state;
    const texts = {
      connecting: 'Connecting…',
      connected: 'Connected',
      reconnecting: 'Reconnecting…',
      offline: 'Offline',
      'signed-out': 'Signed out',
      removed: 'Not in this room',
    };
    status.replaceChildren(el('span', { class: 'dot' }), ` ${texts[next.state] ?? next.state}`);
    status.title = next.detail ?? '';
    if (next.state === 'reconnecting' && next.detail) status.append(el('small', { class: 'status-detail' }, ` ${next.detail}`));
    if (next.state === 'offline') {
      status.append(el('small', {}, ' Check your network. '), el('button', { type: 'button', testid: 'retry-now', onclick: () => bus.retryNow() }, 'Retry now'));
    }
  }

  /** The database is away: the header says "Paused" (not a green "Connected") until the table's moves are stored. */
  function showPaused(on) {
    if (!on) return showStatus({ ...connection, error: undefined });
    status.dataset.state = 'paused';
    status.replaceChildren(el('span', { class: 'dot' }), ' Paused', el('small', { class: 'status-detail' }, ' until the database is back; your moves are kept'));
  }

  room = createRoom({
    roomId,
    userId: me.id,
    bus,
    notify,
    onPause: showPaused,
    onChange: (change) => changed(change),
    onChat: (event) => heard(event),
  });

  async function connected() {
    const first = !room.view();
    const roleWas = room.role();
    try {
      if (roleChanged && !first) await room.rejoin();
      else await room.connected();
      roleChanged = false;
    } catch (error) {
      if (REMOVED_CODES.has(error.code)) return bus.removed(error);
      app.dataset.state = 'error';
      notify(`Could not join the table: ${error.message}`, 'error');
      return;
    }
    // A role change closed the old socket and cleared my stream: take the (maybe unchanged) role's stream again.
    if (!first && (room.role() !== roleWas || !primaryStream)) await switchRole();
    if (first) {
      await build();
      // Events are taken from my role's stream only once the role is known (a GM must not apply the players' form);
      // what passed meanwhile comes with a sync.
      primaryStream = room.isGm() ? `vtt.room.${roomId}.gm` : roomStream;
      bus.registerMissing();
      await room.connected();
      chat.loadRecent();
    }
    app.dataset.state = 'ready';
  }

  /** A chat event for me: shown in the chat, and read by the tracker when it is an initiative roll it asked for. */
  function heard(event) {
    chat?.show(event);
    if (event.type !== 'redacted' && event.data) tabs?.mark('chat');
    initiative?.heard(event);
  }

  function route(address, body) {
    if (!body) return;
    // My own stream carries every room's messages for me: only this page's room is drawn here.
    if (address === userStream && body.room && body.room !== roomId) return;
    if (body.type === 'live') return map?.live(body);
    if (body.type === 'presence' || body.type === 'presence.changed') return party?.presence(body);
    if (body.type === 'character.changed') {
      chat?.characters();
      return sheets?.changed(body);
    }
    // My own form of a map event (vision on): a GM's page takes the GM stream's form instead.
    if (address === userStream && body.mine) return room.isGm() ? undefined : room.receive(body);
    if (address === userStream) return body.type === 'secrets' ? room.receiveSecrets(body.tokens, body.notes) : heard(body);
    // A GM also hears the players' stream; its events are the players' form of what the GM stream carries.
    if (address === primaryStream) room.receive(body);
  }

  let selection;
  let tabs;
  let initiative;
  let gmTools;
  let panels;
  let built = false;

  /** A new role from the GM: its stream, its panels and tools, its view — without reloading the page. */
  async function switchRole() {
    primaryStream = room.isGm() ? `vtt.room.${roomId}.gm` : roomStream;
    bus.registerMissing();
    await room.connected();
    applyRole();
    changed({ all: true });
  }

  /** What the role may do shows; what it may not is hidden (the server refuses it anyway). */
  function applyRole() {
    if (room.isGm()) tabs.add({ id: 'gm', label: 'GM', icon: () => import('@lucide/svelte/icons/wrench'), node: panels.gm });
    else tabs.remove('gm');
    if (room.role() === 'OBSERVER') tabs.remove('dice');
    else tabs.add({ id: 'dice', label: 'Dice', icon: () => import('@lucide/svelte/icons/dice-5'), node: panels.dice });
    // Only GMs need the GM tools: they load when the role has them, not with every player's first page.
    if (room.isGm() && !gmTools) {
      gmTools = import('./panels/gm.js').then(({ createGmTools }) => {
        const tools = createGmTools({ host: panels.gm, roomId, room, map, notify });
        tools.render();
        return tools;
      });
    }
    app.dataset.role = room.role();
    buildToolbar();
    if (room.isGm()) buildGmLinks();
    else gmLinks.replaceChildren();
    party.loadMembers();
    sheets?.reload();
  }

  /** Kicked, banned, or the room is gone: the table closes and says why (never a stale "Connected"). */
  function removedFromRoom(error) {
    app.dataset.state = 'removed';
    const titles = {
      KICKED: 'You were removed from this table',
      BANNED: 'You are banned from this table',
      ROOM_DELETED: 'This table was deleted',
      NOT_A_MEMBER: 'You are no longer at this table',
    };
    document.querySelector('[data-testid=removed]')?.remove();
    document.body.append(
      el(
        'div',
        { class: 'auth-lost', testid: 'removed', role: 'alertdialog', 'aria-labelledby': 'removed-title', 'data-code': error.code },
        el('h2', { id: 'removed-title' }, titles[error.code] ?? 'You left this table'),
        el('p', {}, MESSAGES[error.code] ?? error.message),
        el('a', { href: '/', testid: 'back-to-rooms' }, 'Back to your rooms'),
      ),
    );
  }

  async function build() {
    if (built) return;
    built = true;
    panels = {
      chat: el('section', { class: 'panel panel-chat', testid: 'panel-chat' }),
      dice: el('section', { class: 'panel', testid: 'panel-dice' }),
      sheets: el('section', { class: 'panel', testid: 'panel-sheets' }),
      journal: el('section', { class: 'panel', testid: 'panel-journal' }),
      initiative: el('section', { class: 'panel', testid: 'panel-initiative' }),
      party: el('section', { class: 'panel', testid: 'panel-party' }),
      gm: el('section', { class: 'panel', testid: 'panel-gm' }),
    };
    tabs = await createSideTabs(side);
    tabs.add({ id: 'chat', label: 'Chat', icon: () => import('@lucide/svelte/icons/message-square'), node: panels.chat });
    tabs.add({ id: 'dice', label: 'Dice', icon: () => import('@lucide/svelte/icons/dice-5'), node: panels.dice });
    tabs.add({ id: 'sheets', label: 'Sheets', icon: () => import('@lucide/svelte/icons/scroll-text'), node: panels.sheets });
    tabs.add({ id: 'journal', label: 'Journal', icon: () => import('@lucide/svelte/icons/book-open'), node: panels.journal });
    tabs.add({ id: 'initiative', label: 'Initiative', icon: () => import('@lucide/svelte/icons/swords'), node: panels.initiative });
    tabs.add({ id: 'party', label: 'Party', icon: () => import('@lucide/svelte/icons/users'), node: panels.party });
    selection = createSelection({ host: selectionHost, roomId, room, me, notify });
    map = await createMap({
      host: mapHost,
      room,
      me,
      actions: {
        move: (tokenId, x, y) => room.moveToken(tokenId, x, y),
        live: (op, x, y, tokenId) => bus.send(IN.LIVE, { room: roomId, op, x, y, ...(tokenId ? { tokenId } : {}) }),
        measure: (body) => bus.send(IN.LIVE, { room: roomId, ...body }),
        notify,
        fog: (mode, shape) => sceneCommand({ op: mode === 'cover' ? 'fog.cover' : 'fog.reveal', shape }),
        draw: (shape) => sceneCommand({ op: 'drawing.create', color: drawColour.value, width: 3, ...shape }),
        drawText: async (point) => {
          const text = await map.tools()?.inlineText(point);
          if (text) sceneCommand({ op: 'drawing.create', kind: 'text', points: [point], text, color: drawColour.value, width: 3 });
        },
        selected: (id) => selection.select(id),
        tokenMenu: (token, x, y) => selection.menu(token, x, y),
      },
    });
    chat = createChat({ host: panels.chat, room, me, notify });
    restoreDraft(chat.input);
    tray = createDiceTray({ host: panels.dice, room, notify });
    sheets = createSheets({ host: panels.sheets, room, me, notify, rollMode: () => tray.mode(), onSaved: () => chat.characters() });
    journal = createJournal({ host: panels.journal, room, notify });
    // Not in the page's first load: the tracker comes a moment later (a roll it asked for cannot come before it).
    import('./panels/initiative.js').then(({ createInitiative }) => {
      initiative = createInitiative({ host: panels.initiative, room, selectedToken: () => selection.selected(), notify });
      initiative?.render();
    });
    party = createParty({ host: panels.party, roomId, room });
    applyRole();
    changed({ all: true });
  }

  function sceneCommand(body) {
    const scene = room.activeScene();
    if (!scene) return notify('There is no scene to draw on yet.', 'info');
    return mapCommand(room, notify)({ sceneId: scene.id, ...body });
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
      ['eraser', 'Eraser', 'Erase a drawing: click it (yours; the GM erases anyone’s)'],
      ['box', 'Select ⬚', 'Select the tokens in a box (with a mouse, a drag on the empty map does it too)'],
      ['template-circle', 'Burst', 'Circle area, shown to the table'],
      ['template-cone', 'Cone', 'Cone area, shown to the table'],
      ['template-line', 'Beam', 'Line area one cell wide, shown to the table'],
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
    const toolsToggle = el('button', { type: 'button', class: 'tools-toggle', testid: 'tools-toggle', 'aria-expanded': 'false', 'aria-controls': 'map-tools' }, 'Tools: Move');
    const undo = el('button', { type: 'button', testid: 'undo', title: 'Undo my last drawing (the GM: or fog change) — Ctrl+Z', onclick: () => map.tools()?.undo() }, 'Undo');
    const toolBox = el('div', { class: 'tools', id: 'map-tools' }, ...buttons, undo, drawColour, room.isGm() ? fogMode : '');
    // On a phone the tools fold away behind one button that names the tool in hand; choosing one folds them again.
    toolsToggle.addEventListener('click', () => setToolsOpen(!toolbar.classList.contains('tools-open')));
    function setToolsOpen(open) {
      toolbar.classList.toggle('tools-open', open);
      toolsToggle.setAttribute('aria-expanded', String(open));
    }
    buttons.forEach((button) => button.addEventListener('click', () => {
      toolsToggle.textContent = `Tools: ${button.textContent}`;
      setToolsOpen(false);
    }));
    const view = el(
      'div',
      { class: 'view-controls' },
      el('button', { type: 'button', title: 'Zoom in', 'aria-label': 'Zoom in', testid: 'zoom-in', onclick: () => map.zoomBy(1.25) }, '+'),
      el('button', { type: 'button', title: 'Zoom out', 'aria-label': 'Zoom out', testid: 'zoom-out', onclick: () => map.zoomBy(0.8) }, '−'),
      el('button', { type: 'button', title: 'Show the whole scene', testid: 'zoom-fit', onclick: () => map.fit() }, 'Fit'),
      el('button', { type: 'button', title: 'Back to 100 %', testid: 'zoom-reset', onclick: () => map.resetZoom() }, '1:1'),
    );
    toolbar.replaceChildren(toolsToggle, toolBox, view);
  }

  /** The GM's way out of the table: inviting players (a link on the clipboard) and the room's admin panel. */
  function buildGmLinks() {
    gmLinks.replaceChildren(
      el('button', { type: 'button', testid: 'invite-players', onclick: invitePlayers }, 'Invite players'),
      el('a', { href: `/admin.html?room=${encodeURIComponent(roomId)}`, class: 'admin-link', testid: 'admin-link', target: '_blank', rel: 'noopener' }, 'Admin'),
    );
  }

  async function invitePlayers() {
    let invite;
    try {
      invite = await api.post(`/api/rooms/${encodeURIComponent(roomId)}/invites`, { role: 'PLAYER' });
    } catch (error) {
      return notify(`No invite was made: ${error.message}`, 'error');
    }
    const link = invite.url ?? `${location.origin}/join/${invite.code}`;
    try {
      await navigator.clipboard.writeText(link);
      notify(`Invite link copied — paste it to your players: ${link}`);
    } catch {
      // No clipboard (an insecure origin or a refused permission): the link is shown to copy by hand.
      notify(`Send this link to your players: ${link}`);
    }
  }

  function changed(change) {
    if (!map) return;
    map.render(change);
    const moved = (change.patch?.upsert?.tokens ?? []).map((token) => token.id);
    if (moved.length) map.settled(moved);
    selection.render();
    initiative?.render();
    gmTools?.then((tools) => tools.render());
    tray?.render();
    journal?.render();
    const scene = room.activeScene();
    emptyScene.hidden = !!scene;
    emptyScene.textContent = room.isGm() ? 'No scene yet: create one in GM tools.' : 'The GM has not shown a scene yet.';
  }

  function restoreDraft(input) {
    input.value = localStorage.getItem(draftKey) ?? '';
    input.addEventListener('input', () => localStorage.setItem(draftKey, input.value));
    input.form.addEventListener('submit', () => localStorage.removeItem(draftKey));
  }

  function authLost(why) {
    // Both a 401 and the session's own end lead here: one overlay is enough.
    if (document.querySelector('[data-testid=auth-lost]')) return;
    const overlay = el(
      'div',
      { class: 'auth-lost', testid: 'auth-lost', role: 'alertdialog' },
      el('h2', {}, 'Your session has ended'),
      el('p', { testid: 'auth-lost-why' }, why ? `${capitalised(why)}.` : 'Sign in again to keep playing. What you typed in the chat is kept for when you are back.'),
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
        return { id: token.id, name: token.name, x: token.x, y: token.y, screenX, screenY, hidden: !!token.hidden, owners: token.owners ?? [], hp: token.hp ?? null, conditions: token.conditions ?? [] };
      }),
    screenOf: (x, y) => map?.toScreen(x, y) ?? null,
    renderStats: () => map?.renderStats() ?? null,
    spriteAt: (id) => map?.spriteAt(id) ?? null,
    tokenQuads: (id) => map?.tokenQuads(id) ?? null,
    zoom: () => map?.zoom() ?? null,
    fog: () => room.activeScene()?.fog ?? null,
    scene: () => {
      const scene = room.activeScene();
      return scene ? { name: scene.name, width: scene.width, height: scene.height, grid: scene.grid, image: !!scene.image } : null;
    },
    sceneNames: () => Object.values(room.view()?.scenes ?? {}).map((scene) => scene.name),
  };
}

function capitalised(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

start().catch((error) => showProblem('Something went wrong', el('p', {}, error.message || String(error))));
