// The GM's hands on lights and walls already on the map (docs/vision.md, "Editing on the map"). With Edit on map (or
// the Light tool) a light is dragged by its handle; with Edit on map a click on a wall selects it and shows its points:
// drag a point to move it, drag a segment's middle handle to add a point there, and the bar by a selected point
// removes it or splits the next segment. Points snap as drawing does (wall ends, grid corners), lights to cell
// centres and corners; Shift held places either freely. What is dragged is a preview until the server answers: the
// change then comes back as an event for everyone, or a refusal (with the catalog's words) leaves all as it was.
import { el } from '../common/el.js';
import './vision-edit.css';
import { snap as snapToGrid } from './geometry.js';

const HANDLE_PX = 7; // radius on screen of a point's handle
const MIDDLE_PX = 5; // radius on screen of a segment's middle handle
const HIT_PX = 14; // how near a press must be to a handle; twice that for a finger
const MOVE_PX = 4; // screen pixels a press must travel to be a drag, not a click
const EDGE = 0xffffff;
const ACCENT = 0x29b6f6;

/** Whether the tool in hand is Edit on map. */
export const editing = (tool) => tool.name === 'select' && tool.edit === 'vision';

export function createVisionEdit({ map, view, scene, onScene, snap, lightAt, command, redraw }) {
  const { canvas, camera } = map;
  let selected = null; // {wallId, index|null}: the wall whose points show, and its chosen point
  let drag = null; // {kind: 'light'|'point', id, index, insert, at, start, moved, pointerId}
  let pending = null; // {kind, id, light | points}: sent, not yet answered; drawn instead of the stored one
  const bar = el(
    'div',
    { class: 'vision-point-bar', testid: 'wall-point-bar', role: 'toolbar', 'aria-label': 'Wall point', hidden: true },
    el('button', { type: 'button', testid: 'wall-point-remove', onclick: () => removePoint() }, 'Remove point'),
    el('button', { type: 'button', testid: 'wall-point-split', title: 'Add a point in the middle of the next segment', onclick: () => splitAfter() }, 'Add point'),
  );
  // Which tool is in hand: the toolbar still shows Move, so the map says it (the Move tool ends the editing).
  const hint = el('div', { class: 'vision-edit-hint', testid: 'vision-edit-hint', role: 'status', hidden: true }, 'Editing walls and lights: drag a light or a selected wall’s points; Move ends it');
  canvas.parentElement.append(bar, hint);

  const wallOf = (id) => view().walls?.[id] ?? null;
  const reach = (event) => ((event.pointerType === 'touch' ? 2 : 1) * HIT_PX) / camera.scale;

  /** A press on the map: taken when it grabs a light, a point or a wall in the tools that edit them. */
  function press(at, event, tool) {
    if (!map.room.isGm() || !(editing(tool) || tool.name === 'light')) return false;
    const light = lightAt(...at, event.pointerType === 'touch');
    if (light) return begin(event, { kind: 'light', id: light.id, at: [light.x, light.y], tool: tool.name });
    if (!editing(tool)) return false;
    const wall = selected && wallOf(selected.wallId);
    const hit = wall && handleAt(wall, at, reach(event));
    if (hit) {
      selected.index = hit.insert ? null : hit.index;
      return begin(event, { kind: 'point', id: wall.id, ...hit, at: hit.insert ? middle(wall.points, hit.index - 1) : [...wall.points[hit.index]] });
    }
    const found = wallAt(at, reach(event));
    selected = found ? { wallId: found.id, index: null } : null;
    if (found) map.select(null); // one selection at a time: Delete then means the wall's point, never tokens
    redraw();
    return Boolean(found);
  }

  function begin(event, next) {
    drag = { ...next, start: [event.clientX, event.clientY], moved: false, pointerId: event.pointerId };
    canvas.setPointerCapture(event.pointerId);
    return true;
  }

  /** The point's or middle's handle of the selected wall under the press: {index, insert}. */
  function handleAt(wall, [x, y], within) {
    const index = wall.points.findIndex(([px, py]) => Math.hypot(px - x, py - y) <= within);
    if (index >= 0) return { index, insert: false };
    for (let i = 1; i < wall.points.length; i++) {
      const [mx, my] = middle(wall.points, i - 1);
      if (Math.hypot(mx - x, my - y) <= within) return { index: i, insert: true };
    }
    return null;
  }

  /** The wall of the shown scene with a segment nearest the press, within reach. */
  function wallAt([x, y], within) {
    let best = null;
    let bestDistance = within;
    for (const wall of Object.values(view().walls ?? {})) {
      if (!onScene(wall)) continue;
      for (let i = 1; i < wall.points.length; i++) {
        const distance = toSegment([x, y], wall.points[i - 1], wall.points[i]);
        if (distance <= bestDistance) [best, bestDistance] = [wall, distance];
      }
    }
    return best;
  }

  canvas.addEventListener('pointermove', (event) => {
    if (!drag || event.pointerId !== drag.pointerId) return;
    drag.moved ||= Math.hypot(event.clientX - drag.start[0], event.clientY - drag.start[1]) > MOVE_PX;
    if (!drag.moved) return;
    const at = map.toWorld(event.clientX, event.clientY);
    drag.at = drag.kind === 'light' ? placeLight(at, event.shiftKey) : event.shiftKey ? at.map(Math.round) : snap(at, drag.insert ? null : { wallId: drag.id, index: drag.index });
    redraw();
  });
  const release = (event) => {
    if (!drag || event.pointerId !== drag.pointerId) return;
    const done = drag;
    drag = null;
    if (event.type === 'pointercancel') return redraw();
    if (done.moved) return done.kind === 'light' ? moveLight(done) : movePoint(done);
    // A click on a light with the Light tool removes it, as it always did; with Edit on map it only keeps it.
    if (done.kind === 'light' && done.tool === 'light') command({ op: 'light.remove', lightId: done.id });
    redraw();
  };
  canvas.addEventListener('pointerup', release);
  canvas.addEventListener('pointercancel', release);
  // Before the map tools' keys (capture): a key that acts on the selected wall acts on nothing else.
  document.addEventListener(
    'keydown',
    (event) => {
      if (!selected || !editing(map.tool()) || typing(event)) return;
      if (event.key === 'Escape') {
        selected = null;
        redraw();
      } else if ((event.key === 'Delete' || event.key === 'Backspace') && selected.index !== null) {
        event.preventDefault();
        event.stopImmediatePropagation();
        removePoint();
      }
    },
    { capture: true },
  );

  /** Cell centres and corners (a hex grid's centres) when the scene has a grid, else whole pixels. */
  function placeLight([x, y], free) {
    const grid = scene()?.grid;
    if (free || !grid || grid.type === 'none') return [Math.round(x), Math.round(y)];
    const offsets = { offsetX: 0, offsetY: 0, ...grid };
    const candidates = [snapToGrid(offsets, x, y, 1)];
    if (grid.type === 'square') candidates.push(snapToGrid(offsets, x, y, 2));
    const [best] = candidates.sort((a, b) => Math.hypot(a[0] - x, a[1] - y) - Math.hypot(b[0] - x, b[1] - y));
    return best.map((value) => Math.round(value * 10) / 10);
  }

  function moveLight(done) {
    const light = view().lights?.[done.id];
    if (!light || (light.x === done.at[0] && light.y === done.at[1])) return redraw();
    settle({ kind: 'light', id: done.id, light: { ...light, x: done.at[0], y: done.at[1] } }, { op: 'light.update', lightId: done.id, x: done.at[0], y: done.at[1] });
  }

  function movePoint(done) {
    const wall = wallOf(done.id);
    if (!wall) return redraw();
    const points = wall.points.map((point) => [...point]);
    if (done.insert) points.splice(done.index, 0, done.at);
    else points[done.index] = done.at;
    if (JSON.stringify(points) === JSON.stringify(wall.points)) return redraw();
    selected = { wallId: wall.id, index: done.index };
    sendPoints(wall, points);
  }

  function removePoint() {
    const wall = selected && wallOf(selected.wallId);
    if (!wall || selected.index === null || wall.points.length <= 2) return;
    const points = wall.points.filter((_, index) => index !== selected.index);
    selected.index = null;
    sendPoints(wall, points);
  }

  /** A point in the middle of the segment after the chosen point (before it, for the last point). */
  function splitAfter() {
    const wall = selected && wallOf(selected.wallId);
    if (!wall || selected.index === null) return;
    const from = Math.min(selected.index, wall.points.length - 2);
    const points = wall.points.map((point) => [...point]);
    points.splice(from + 1, 0, middle(wall.points, from).map(Math.round));
    selected.index = from + 1;
    sendPoints(wall, points);
  }

  function sendPoints(wall, points) {
    settle({ kind: 'point', id: wall.id, points }, { op: 'wall.update', wallId: wall.id, points });
  }

  /** Shows the change until the server answers; a refusal (told by `command`) leaves the stored state drawn. */
  function settle(preview, body) {
    pending = preview;
    redraw();
    command(body).finally(() => {
      if (pending === preview) pending = null;
      const wall = selected && wallOf(selected.wallId);
      if (wall && selected.index !== null && selected.index >= wall.points.length) selected.index = null;
      redraw();
    });
  }

  /** Draws the handles: every light's (with Edit on map or the Light tool), the selected wall's points and middles. */
  function draw(graphics) {
    graphics.clear();
    const tool = map.tool();
    const shown = map.room.isGm() && scene() && (editing(tool) || tool.name === 'light');
    hint.hidden = !(map.room.isGm() && editing(tool));
    const wall = shown && selected && wallOf(selected.wallId);
    if (selected && !wall && !pending) selected = null;
    placeBar(shown && wall ? shownWall(wall) : null);
    if (!shown) return;
    const unit = 1 / camera.scale;
    for (const stored of Object.values(view().lights ?? {})) {
      if (!onScene(stored)) continue;
      const light = shownLight(stored);
      graphics.circle(light.x, light.y, (HANDLE_PX + 4) * unit).stroke({ width: 2 * unit, color: drag?.id === light.id ? ACCENT : EDGE, alpha: 0.9 });
    }
    if (!wall) return;
    const { points } = shownWall(wall);
    for (let i = 1; i < points.length; i++) {
      const [mx, my] = middle(points, i - 1);
      graphics.circle(mx, my, MIDDLE_PX * unit).fill({ color: 0x000000, alpha: 0.4 }).stroke({ width: 1.5 * unit, color: EDGE });
    }
    points.forEach(([x, y], index) => {
      const chosen = index === selected.index;
      graphics.circle(x, y, HANDLE_PX * unit).fill({ color: chosen ? ACCENT : EDGE }).stroke({ width: 1.5 * unit, color: 0x000000 });
    });
  }

  let barWall = null;
  map.afterFrame.push(() => bar.hidden || placeBar(barWall));

  /** The bar by the chosen point of the selected wall, on screen; hidden without one. */
  function placeBar(wall) {
    barWall = wall;
    const point = wall && selected?.index !== null ? wall.points[selected.index] : null;
    bar.hidden = !point || Boolean(drag);
    if (bar.hidden) return;
    const [sx, sy] = map.toScreen(...point);
    // Kept inside the map's box as laid out now, and inside the window: the canvas itself is resized by the renderer
    // a frame later, so right after a phone turns or a window shrinks its box is still the old, wider one.
    const host = canvas.parentElement.getBoundingClientRect();
    const width = Math.min(host.right, innerWidth) - host.left;
    const height = Math.min(host.bottom, innerHeight) - host.top;
    const left = Math.max(4, Math.min(sx - host.left, width - bar.offsetWidth - 4));
    const below = sy - host.top + HANDLE_PX + 10;
    const top = below + bar.offsetHeight > height ? sy - host.top - HANDLE_PX - 10 - bar.offsetHeight : below;
    bar.style.left = `${left}px`;
    bar.style.top = `${top}px`;
    const remove = bar.querySelector('[data-testid=wall-point-remove]');
    remove.disabled = wall.points.length <= 2;
    remove.title = remove.disabled ? 'A wall keeps at least two points; remove the whole wall in Edit walls and lights' : 'Remove this point (Delete)';
  }

  /** A light as drawn now: where it is dragged or was sent to, else where it is stored. */
  function shownLight(light) {
    if (drag?.kind === 'light' && drag.id === light.id && drag.moved) return { ...light, x: drag.at[0], y: drag.at[1] };
    if (pending?.kind === 'light' && pending.id === light.id) return pending.light;
    return light;
  }

  /** A wall as drawn now: with the point in hand where it is, or with the points sent. */
  function shownWall(wall) {
    if (drag?.kind === 'point' && drag.id === wall.id && drag.moved) {
      const points = wall.points.map((point) => [...point]);
      if (drag.insert) points.splice(drag.index, 0, drag.at);
      else points[drag.index] = drag.at;
      return { ...wall, points };
    }
    if (pending?.kind === 'point' && pending.id === wall.id) return { ...wall, points: pending.points };
    return wall;
  }

  return { press, draw, shownLight, shownWall };
}

function middle(points, index) {
  const [a, b] = [points[index], points[index + 1]];
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}

function toSegment([x, y], [ax, ay], [bx, by]) {
  const length = (bx - ax) ** 2 + (by - ay) ** 2;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / length));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

function typing(event) {
  return event.target instanceof HTMLElement && (event.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName));
}
