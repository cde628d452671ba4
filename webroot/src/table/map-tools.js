// What the map can do beyond moving one token, loaded right after the map (not with the page's first load): several
// tokens selected (shift-click, a box dragged on the empty map, the Select area tool) and moved, hidden, removed,
// copied, cut and pasted together; the keyboard (Delete, arrows, Ctrl+C / Ctrl+X / Ctrl+V / Ctrl+Z, Esc); the eraser and
// undo; text typed straight onto the map; rulers and area templates seen live by the others at the table; the card a
// token shows under the pointer; and the tokens' condition chips and name labels (token-marks.js).
import { BitmapText } from 'pixi.js';
import './map-tools.css';
import { gridDistance, snap, visibleToPlayers } from './geometry.js';
import * as marks from './token-marks.js';
import { el } from './ui.js';
import { mapCommand } from './addresses.js';

const SEND_EVERY_MS = 60;
const MAX_PASTE = 100; // tokens one paste may create (the server's batch limit)
/** How long a measurement stays on the others' screens after its last update. */
const HOLD_MS = 4000;
const TEMPLATE_SHAPES = { 'template-circle': 'circle', 'template-cone': 'cone', 'template-line': 'line' };
const MEASURE_COLOURS = ['#ffeb3b', '#80deea', '#ffab91', '#c5e1a5', '#ce93d8'];

export function createMapTools(map) {
  const { room, me, actions, picked } = map;
  const remote = new Map(); // userId → the measurement they are showing, with `until`
  const labels = [];
  let lastSent = 0;
  let held = null; // my last template, kept on screen a while after release
  let clipboard = []; // the copied tokens' data: copies need no original to still exist
  let pasted = null; // {from, to}: the seqs of my paste's events, whose tokens become the selection
  const created = new Map(); // seq → tokenId of recent token.created events: a paste's may come before its reply
  let lastChange = 'drawing'; // what Ctrl+Z takes back: my last drawing, or (the GM) the last fog change
  let pointer = null; // where the mouse is over the map, for pasting there

  const command = mapCommand(room, actions.notify);
  const scale = () => map.camera.scale;
  const cell = () => map.grid().size ?? 70;
  const sceneId = () => map.scene()?.id;

  // What changed last decides what undo takes back: the actions are the page's, wrapped here.
  const wrap = (name, kind) => {
    const original = actions[name];
    actions[name] = (...args) => {
      lastChange = kind;
      return original(...args);
    };
  };
  wrap('fog', 'fog');
  wrap('draw', 'drawing');
  const selected = actions.selected;
  actions.selected = (id, all) => {
    selected(id, all);
    renderBar();
  };

  map.canvas.addEventListener('pointermove', (event) => {
    pointer = map.toWorld(event.clientX, event.clientY);
  });
  map.canvas.addEventListener('pointerleave', () => {
    pointer = null;
  });

  // ---- selecting several ----

  function pointerDown(at, event, tool) {
    if (tool.name === 'select' || tool.name === 'box') {
      const token = map.hitToken(...at);
      if (token && event.shiftKey) {
        map.select(token.id, true);
        return true;
      }
      // With a mouse a drag on the empty map draws a box (right or middle drag pans); a finger pans, unless the
      // Select area tool is in hand.
      if (!token && (tool.name === 'box' || (event.pointerType === 'mouse' && event.button === 0))) {
        map.begin({ kind: 'box', from: at, to: at, add: event.shiftKey });
        return true;
      }
      return false;
    }
    if (tool.name === 'eraser') {
      erase(at);
      return true;
    }
    if (TEMPLATE_SHAPES[tool.name]) {
      map.begin({ kind: tool.name, from: at, to: at });
      return true;
    }
    return false;
  }

  function finishBox(done) {
    const [ax, ay] = done.from;
    const [bx, by] = done.to;
    const tiny = Math.abs(bx - ax) * scale() < 4 && Math.abs(by - ay) * scale() < 4;
    if (tiny) {
      if (!done.add) map.select(null);
      return;
    }
    const inside = map
      .shownTokens()
      .filter((token) => room.isGm() || map.isMine(token))
      .filter((token) => token.x >= Math.min(ax, bx) && token.x <= Math.max(ax, bx) && token.y >= Math.min(ay, by) && token.y <= Math.max(ay, by));
    if (!done.add) map.select(null);
    inside.forEach((token) => picked.has(token.id) || map.select(token.id, true));
  }

  const pickedTokens = () => [...picked].map((id) => room.tokenAt(id)).filter(Boolean);
  const movable = () => pickedTokens().filter((token) => room.isGm() || (map.isMine(token) && !token.locked));

  /** A group dropped: each token keeps its distance to the one in hand, and lands on the grid. */
  function moveGroup(done, x, y) {
    const moves = [[done.tokenId, 0, 0], ...done.group].map(([id, dx, dy]) => {
      const token = room.tokenAt(id);
      const [sx, sy] = snap(map.grid(), x + dx, y + dy, token?.size ?? 1);
      return { tokenId: id, x: map.round(sx), y: map.round(sy) };
    });
    room.moveTokens(moves);
  }

  function nudge(dx, dy) {
    const moves = movable().map((token) => ({ tokenId: token.id, x: map.round(token.x + dx * cell()), y: map.round(token.y + dy * cell()) }));
    if (moves.length) room.moveTokens(moves);
  }

  function several(op) {
    const tokenIds = pickedTokens().map((token) => token.id);
    if (tokenIds.length) return command({ op, tokenIds });
  }

  async function removeSelected() {
    const tokens = pickedTokens();
    if (!tokens.length || !room.isGm()) return;
    const { askConfirm } = await import('../common/ui/dialogs.js');
    const title = tokens.length === 1 ? `Remove ${tokens[0].name}?` : `Remove ${tokens.length} tokens?`;
    if (await askConfirm({ title, message: 'They leave the map for everyone.', confirmLabel: 'Remove', danger: true })) {
      await command({ op: 'tokens.remove', tokenIds: tokens.map((token) => token.id) });
      map.select(null);
    }
  }

  function copy() {
    const tokens = pickedTokens();
    if (tokens.length > MAX_PASTE) actions.notify(`Copied the first ${MAX_PASTE} of ${tokens.length} tokens.`, 'info');
    clipboard = tokens.slice(0, MAX_PASTE).map(({ id, sceneId, ...data }) => data);
    renderBar();
  }

  function forget() {
    clipboard = [];
    renderBar();
  }


  // Text highlighted where the person last pressed, in the side column (a chat line, say): Ctrl+C and Ctrl+X are then
  // the browser's. A shift-click on the map can also leave a selection behind; that one must not take the map's keys.
  let pressedInSide = false;
  document.addEventListener('pointerdown', (event) => (pressedInSide = !!event.target.closest?.('[data-testid=side]')), true);
  const highlighted = () => pressedInSide && !(document.getSelection()?.isCollapsed ?? true);

  /** Copy, then the originals leave the map (no question asked: a paste brings them back). Only what was copied goes. */
  async function cut() {
    const tokenIds = [...picked].filter((id) => room.tokenAt(id)).slice(0, MAX_PASTE);
    if (!tokenIds.length) return;
    copy();
    map.select(null);
    await command({ op: 'tokens.remove', tokenIds });
    renderBar();
  }

  /** Copies of the copied tokens on the shown scene: where the mouse is, or one cell down and right of the originals. */
  async function paste() {
    if (!clipboard.length || !room.isGm() || !sceneId()) return;
    let [dx, dy] = [cell(), cell()];
    if (pointer) {
      const cx = clipboard.reduce((sum, token) => sum + token.x, 0) / clipboard.length;
      const cy = clipboard.reduce((sum, token) => sum + token.y, 0) / clipboard.length;
      [dx, dy] = [Math.round((pointer[0] - cx) / cell()) * cell(), Math.round((pointer[1] - cy) / cell()) * cell()];
      if (!dx && !dy) [dx, dy] = [cell(), cell()];
    }
    const tokens = clipboard.map((token) => ({ ...token, x: map.round(token.x + dx), y: map.round(token.y + dy) }));
    const reply = await command({ op: 'tokens.paste', sceneId: sceneId(), tokens });
    if (!reply) return;
    pasted = { from: reply.seq - tokens.length + 1, to: reply.seq };
    selectPasted();
  }

  /** The copies' events may come before or after the reply: the selection follows once all of them are in. */
  function roomChanged(change) {
    const event = change?.event;
    if (event?.type === 'token.created' && event.data?.tokenId) {
      created.set(event.seq, event.data.tokenId);
      if (created.size > 2 * MAX_PASTE) created.delete(created.keys().next().value);
    }
    selectPasted();
    if (!change?.patch?.upsert?.tokens?.length) return;
    if (hovered) showHover(hovered.screen);
  }

  function selectPasted() {
    if (!pasted || room.seq() < pasted.to) return;
    const ids = [];
    for (let seq = pasted.from; seq <= pasted.to; seq++) if (room.tokenAt(created.get(seq))) ids.push(created.get(seq));
    pasted = null;
    map.select(null);
    ids.forEach((id) => map.select(id, true));
  }

  // The bar over the map for what has no key on a phone: acting on several tokens, and pasting.
  const bar = el('div', { class: 'multi-bar', testid: 'multi-bar', role: 'toolbar', 'aria-label': 'Selected tokens', hidden: true });
  map.canvas.parentElement.parentElement.append(bar);
  function renderBar() {
    const count = pickedTokens().length;
    const gm = room.isGm();
    const copies = clipboard.length;
    bar.hidden = !(count > 1 || (gm && copies));
    if (bar.hidden) return;
    const button = (testid, label, run, danger) => el('button', { type: 'button', testid, class: danger ? 'danger' : '', onclick: run }, label);
    bar.replaceChildren(
      count > 1 ? el('span', { testid: 'multi-count' }, `${count} selected`) : '',
      gm && count ? button('multi-hide', 'Hide', () => several('tokens.hide')) : '',
      gm && count ? button('multi-reveal', 'Reveal', () => several('tokens.reveal')) : '',
      gm && count ? button('multi-copy', 'Copy', copy) : '',
      gm && count ? button('multi-cut', 'Cut', cut) : '',
      gm && copies ? button('multi-paste', `Paste ${copies}`, paste) : '',
      gm && copies && !count ? el('button', { type: 'button', testid: 'multi-forget', title: 'Forget the copied tokens', 'aria-label': 'Forget the copied tokens', onclick: forget }, '✕') : '',
      gm && count ? button('multi-remove', 'Remove…', removeSelected, true) : '',
      count > 1 ? button('multi-clear', 'Deselect', () => map.select(null)) : '',
    );
  }

  // ---- the card under the mouse: the token's name and its conditions by their full names ----

  const card = el('div', { class: 'token-hover', testid: 'token-hover', role: 'tooltip', hidden: true });
  map.canvas.parentElement.append(card);
  let hovered = null; // {screen}: where the mouse rests over the map, while the card may show
  let hoverQueued = false;
  map.canvas.addEventListener('pointermove', (event) => {
    if (event.pointerType !== 'mouse' || event.buttons) return hideHover();
    hovered = { screen: [event.clientX, event.clientY] };
    if (hoverQueued) return;
    hoverQueued = true;
    requestAnimationFrame(() => {
      hoverQueued = false;
      if (hovered) showHover(hovered.screen);
    });
  });
  for (const type of ['pointerleave', 'pointerdown', 'wheel']) map.canvas.addEventListener(type, hideHover);

  function showHover([x, y]) {
    const token = map.hitToken(...map.toWorld(x, y));
    const conditions = (token?.conditions ?? []).map(marks.fullName);
    if (!token || (!token.name && !conditions.length)) return hideHover();
    card.replaceChildren(
      token.name ? el('strong', { testid: 'token-hover-name' }, token.name) : '',
      conditions.length ? el('span', { testid: 'token-hover-conditions' }, conditions.join(', ')) : '',
    );
    const host = map.canvas.parentElement.getBoundingClientRect();
    const [sx, sy] = map.toScreen(token.x, token.y + (token.size ?? 1) * cell() * 0.5);
    card.style.left = `${Math.max(4, Math.min(sx - host.left, host.width - 8))}px`;
    card.style.top = `${Math.min(sy - host.top + 6, host.height - 40)}px`;
    card.hidden = false;
  }

  function hideHover() {
    hovered = null;
    // Only when shown: a write on every move of a pan would restyle the page each time.
    if (!card.hidden) card.hidden = true;
  }

  // ---- keyboard ----

  document.addEventListener('keydown', (event) => {
    // Keys that belong to what has focus stay there: arrows in the tab bar switch tabs, not nudge the selection.
    if (event.target.closest?.('input, textarea, select, [contenteditable], [role=dialog], [role=menu], [role=tablist], [role=listbox]')) return;
    const ctrl = event.ctrlKey || event.metaKey;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const arrows = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    let run = null;
    if (ctrl && key === 'z') run = undo;
    else if (ctrl && key === 'c' && room.isGm() && picked.size && !highlighted()) run = copy;
    else if (ctrl && key === 'x' && room.isGm() && picked.size && !highlighted()) run = cut;
    else if (ctrl && key === 'v' && room.isGm() && clipboard.length) run = paste;
    else if (!ctrl && (key === 'Delete' || key === 'Backspace') && room.isGm() && picked.size) run = removeSelected;
    else if (!ctrl && arrows[key] && picked.size) run = () => nudge(...arrows[key]);
    else if (key === 'Escape' && picked.size) run = () => map.select(null);
    if (!run) return;
    event.preventDefault();
    run();
  });

  // ---- drawings: eraser, undo, text ----

  function undo() {
    const id = sceneId();
    if (!id) return;
    return command({ op: lastChange === 'fog' && room.isGm() ? 'fog.undo' : 'drawing.undo', sceneId: id });
  }

  /** The topmost drawing under the point that I may erase (the GM: anyone's). */
  function erase(at) {
    const hits = Object.values(room.view()?.drawings ?? {}).filter((drawing) => drawing.sceneId === sceneId() && touches(drawing, at));
    const mine = hits.filter((drawing) => room.isGm() || drawing.author === me.id);
    const drawing = mine.at(-1);
    if (drawing) return command({ op: 'drawing.remove', drawingId: drawing.id });
    if (hits.length) actions.notify('You may erase only your own drawings.', 'info');
  }

  function touches(drawing, [x, y]) {
    const reach = Math.max(drawing.width ?? 3, 10 / scale());
    const [first, second] = drawing.points;
    if (drawing.kind === 'text') {
      const node = map.drawings().get(drawing.id)?.node;
      const box = node?.getLocalBounds();
      return !!box && x >= first[0] - reach && y >= first[1] - reach && x <= first[0] + box.width + reach && y <= first[1] + box.height + reach;
    }
    if (drawing.kind === 'circle') return Math.abs(Math.hypot(x - first[0], y - first[1]) - Math.hypot(second[0] - first[0], second[1] - first[1])) <= reach;
    const path =
      drawing.kind === 'rect'
        ? [first, [second[0], first[1]], second, [first[0], second[1]], first]
        : drawing.points;
    for (let i = 1; i < path.length; i++) if (segmentDistance(x, y, path[i - 1], path[i]) <= reach) return true;
    return path.length === 1 && Math.hypot(x - first[0], y - first[1]) <= reach;
  }

  /** A field on the map where the text goes: Enter places it, Esc drops it. Resolves the text or null. */
  function inlineText(point) {
    document.querySelector('.map-text-input')?.remove();
    const [sx, sy] = map.toScreen(...point);
    const input = el('input', { class: 'map-text-input', testid: 'map-text-input', maxlength: 500, placeholder: 'Type, then Enter', 'aria-label': 'Text on the map', enterkeyhint: 'done' });
    input.style.left = `${Math.max(4, Math.min(sx, innerWidth - 220))}px`;
    input.style.top = `${Math.max(4, Math.min(sy - 16, innerHeight - 40))}px`;
    document.body.append(input);
    input.focus();
    return new Promise((resolve) => {
      let finished = false;
      const done = (text) => {
        // Removing the field blurs it, and the blur comes back here while it is still in the page.
        if (finished) return;
        finished = true;
        input.remove();
        resolve(text?.trim() ? text.trim() : null);
      };
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') done(input.value);
        if (event.key === 'Escape') done(null);
      });
      input.addEventListener('blur', () => done(input.value));
    });
  }

  // ---- measurements shared live ----

  function measureOf(gesture) {
    if (gesture?.kind === 'ruler') return { op: 'ruler', from: gesture.from, to: gesture.to };
    if (TEMPLATE_SHAPES[gesture?.kind]) return { op: 'template', shape: TEMPLATE_SHAPES[gesture.kind], from: gesture.from, to: gesture.to };
    return null;
  }

  /** A GM's measurement is for the players only when all of it lies where they can see. */
  function clearOfFog(measure) {
    const scene = map.scene();
    if (!room.isGm()) return true;
    return outline(measure).every(([x, y]) => visibleToPlayers(scene, { x, y, sceneId: scene?.id, layer: 'tokens' }));
  }

  let latest = null;
  let trailing = null; // the newest measure held back by the pace, sent when the pace allows

  function send(measure, final) {
    const now = performance.now();
    if (!final && now - lastSent < SEND_EVERY_MS) {
      // Paced, but the newest position is never dropped: where the pointer stopped is what the others must see.
      if (!trailing) trailing = setTimeout(() => { trailing = null; send(latest, false); }, SEND_EVERY_MS - (now - lastSent));
      latest = measure;
      return;
    }
    clearTimeout(trailing);
    trailing = null;
    lastSent = now;
    const [x, y] = measure.from.map(map.round);
    const [x2, y2] = measure.to.map(map.round);
    actions.measure({ op: measure.op, x, y, x2, y2, ...(measure.shape ? { shape: measure.shape } : {}), shared: clearOfFog(measure) });
  }

  function moved(gesture) {
    const measure = measureOf(gesture);
    if (measure) send(measure);
  }

  function finish(done) {
    if (done.kind === 'box') {
      finishBox(done);
      return true;
    }
    const measure = measureOf(done);
    if (!measure) return false;
    if (measure.op === 'ruler') {
      clearTimeout(trailing);
      trailing = null;
      actions.measure({ op: 'measured', x: 0, y: 0, shared: clearOfFog(measure) });
      return true;
    }
    send(measure, true);
    held = { ...measure, until: performance.now() + HOLD_MS };
    setTimeout(map.requestRender, HOLD_MS + 10);
    return true;
  }

  /** Someone else's ruler or template; a `measured` ends theirs. */
  function live(message) {
    if (!['ruler', 'template', 'measured'].includes(message.op)) return false;
    if (message.op === 'measured') remote.delete(message.from);
    else {
      remote.set(message.from, { op: message.op, shape: message.shape, from: [message.x, message.y], to: [message.x2, message.y2], name: message.name, until: performance.now() + HOLD_MS });
      setTimeout(map.requestRender, HOLD_MS + 10);
    }
    map.requestRender();
    return true;
  }

  function drawOverlay(overlay, gesture) {
    labels.forEach((label) => (label.visible = false));
    let used = 0;
    const now = performance.now();
    const width = 2 / scale();
    if (gesture?.kind === 'box') {
      const [ax, ay] = gesture.from;
      const [bx, by] = gesture.to;
      overlay.rect(Math.min(ax, bx), Math.min(ay, by), Math.abs(bx - ax), Math.abs(by - ay)).fill({ color: '#29b6f6', alpha: 0.12 }).stroke({ width, color: '#29b6f6' });
    }
    const shown = [];
    const own = measureOf(gesture);
    if (own?.op === 'template') shown.push([own, '#ffeb3b', null]);
    else if (held && held.until > now) shown.push([held, '#ffeb3b', null]);
    let index = 0;
    for (const [from, measure] of remote) {
      if (measure.until <= now) remote.delete(from);
      else shown.push([measure, MEASURE_COLOURS[index++ % MEASURE_COLOURS.length], measure.name]);
    }
    for (const [measure, colour, name] of shown) {
      if (measure.op === 'ruler') overlay.moveTo(...measure.from).lineTo(...measure.to).stroke({ width: 3 / scale(), color: colour });
      else overlay.poly(outline(measure).flat(), true).fill({ color: colour, alpha: 0.2 }).stroke({ width, color: colour });
      const label = labels[used] ?? labels[labels.push(newLabel()) - 1];
      used++;
      const g = map.grid();
      const [ax, ay] = measure.from;
      const [bx, by] = measure.to;
      label.text = `${name ? `${name}: ` : ''}${map.round(gridDistance(g, ax, ay, bx, by))} ${g.units ?? ''}`;
      label.position.set(bx + 12 / scale(), by + 12 / scale());
      label.scale.set(1 / scale());
      label.visible = true;
    }
  }

  function newLabel() {
    const label = new BitmapText({ text: '', style: { fontFamily: 'system-ui, sans-serif', fontSize: 18, fill: '#ffffff', stroke: { color: '#000000', width: 4, join: 'round' } } });
    map.layers.overlay.addChild(label);
    return label;
  }

  /** The measured area as a polygon: a circle, a 53° cone (as wide as it is long), or a line one cell wide. */
  function outline(measure) {
    const [ax, ay] = measure.from;
    const [bx, by] = measure.to;
    const length = Math.hypot(bx - ax, by - ay);
    const angle = Math.atan2(by - ay, bx - ax);
    const arc = (from, to, steps) => Array.from({ length: steps + 1 }, (_, i) => from + ((to - from) * i) / steps).map((a) => [ax + Math.cos(a) * length, ay + Math.sin(a) * length]);
    if (measure.op === 'ruler') return [measure.from, [(ax + bx) / 2, (ay + by) / 2], measure.to];
    if (measure.shape === 'circle') return arc(0, Math.PI * 2, 32);
    if (measure.shape === 'cone') {
      const half = Math.atan(0.5);
      return [[ax, ay], ...arc(angle - half, angle + half, 12)];
    }
    const [nx, ny] = [(-Math.sin(angle) * cell()) / 2, (Math.cos(angle) * cell()) / 2];
    return [[ax + nx, ay + ny], [bx + nx, by + ny], [bx - nx, by - ny], [ax - nx, ay - ny]];
  }

  // Read-only facts for tests: what this screen shows.
  Object.assign(window.__vertable ?? {}, {
    picked: () => [...picked],
    /** The chips and name label drawn on a token's look, and a chip's height on screen now. */
    tokenMarks: (id) => {
      const drawn = marks.drawn.get(id);
      return drawn && room.tokenAt(id) ? { chips: drawn.chips, name: drawn.name, chipPx: drawn.chipHeight * scale() } : null;
    },
    drawings: () => Object.values(room.view()?.drawings ?? {}).map(({ id, kind, author, text }) => ({ id, kind, author, text: text ?? null })),
    measures: () => [...remote.values()].filter((measure) => measure.until > performance.now()).map(({ op, shape, name, from, to }) => ({ op, shape: shape ?? null, name, from, to })),
  });

  return { pointerDown, moved, finish, moveGroup, drawOverlay, live, inlineText, undo, renderBar, roomChanged, marks, toWorld: map.toWorld };
}

function segmentDistance(x, y, [ax, ay], [bx, by]) {
  const length = (bx - ax) ** 2 + (by - ay) ** 2;
  const t = length ? Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / length)) : 0;
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}
