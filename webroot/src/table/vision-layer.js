// Vision, walls and lights on the map; loaded after the map, as the map tools are (the table's first load is at its
// budget). Players get their mask from the server (docs/vision.md): dark outside what their tokens see now, half dark
// over what they explored; the doors they know of are marked and open or close on a click. GMs see walls, doors and
// lights, draw walls with the Walls tool (click points, snapping to grid corners and wall ends; double-click or Enter
// ends the wall, Escape drops it), place or remove lights with the Light tool, and with Edit on map drag lights and
// wall points (vision-edit.js). The GM sees a change once the server took it: drags are previews until it answers.
import { Container, Graphics } from 'pixi.js';
import { readableCode } from '../common/messages.js';
import { IN, mapCommand } from './addresses.js';
import { createSceneTiles } from './scene-tiles.js';
import { createVisionEdit } from './vision-edit.js';

const SNAP_PX = 12; // screen pixels within which a wall point snaps to a wall end or grid corner
const HIT_PX = 14; // screen pixels: how near a click must be to a door's middle or a light
const KIND_COLOURS = { wall: 0xff5252, door: 0xffb300, window: 0x4fc3f7, terrain: 0x66bb6a };

export function createVisionLayer(map) {
  const { room, layers, camera, canvas, actions } = map;
  const command = mapCommand(room, actions.notify);
  const shade = new Container(); // players: the darkness, masked by what they see
  const dark = new Graphics();
  const dim = new Graphics();
  const seen = new Graphics();
  const remembered = new Graphics();
  shade.addChild(dark, dim, seen, remembered);
  const marks = new Graphics(); // doors for players; walls, doors and lights for GMs
  const draft = new Graphics(); // the wall being drawn
  const handles = new Graphics(); // the GM's handles on lights and on the selected wall's points
  layers.fog.addChild(shade, marks, draft, handles);
  let wall = null; // {points:[[x,y]...], to:[x,y]}: the GM's wall in progress
  // A player's map image of a vision scene: the explored tiles, just above the plain background.
  const tiles = createSceneTiles({ world: layers.background.parent, under: layers.background, room, requestRender: () => map.requestRender() });
  Object.assign(window.__vertable ?? {}, {
    mapTiles: () => tiles.count(),
    /** The sight outlines drawn now (a player's own, or the player a GM views as), or null when none are. */
    visionMask: () => (shade.visible ? JSON.stringify(eyes()?.vision?.sight ?? []) : null),
  });

  const scene = () => map.scene();
  const view = () => room.view() ?? {};
  // A GM's "view as player" (the GM tab names the player): that player's own view, fetched from the room's owner
  // after each change, so the GM sees the very polygons the player's page draws.
  let viewAs = null; // {userId, view, asking, again}
  document.addEventListener('vtt:view-as', (event) => {
    viewAs = event.detail?.userId && room.isGm() ? { userId: event.detail.userId, view: null } : null;
    if (viewAs) askViewAs();
    draw();
  });

  async function askViewAs() {
    const wanted = viewAs;
    if (!wanted) return;
    if (wanted.asking) return void (wanted.again = true);
    wanted.asking = true;
    try {
      const answer = await room.command(IN.ROOM, { op: 'view.as', userId: wanted.userId });
      if (viewAs === wanted) {
        wanted.view = answer.view;
        draw();
      }
    } catch (error) {
      actions.notify(error.message, 'error');
    } finally {
      wanted.asking = false;
      if (wanted.again && viewAs === wanted) {
        wanted.again = false;
        askViewAs();
      }
    }
  }

  /** Whose mask is drawn: a player's own, or for a GM the viewed player's (none otherwise). */
  const eyes = () => (room.isGm() ? viewAs?.view ?? null : view());
  const onScene = (entity) => entity.sceneId === scene()?.id;

  /** Redraws everything from the view (vision changes arrive as whole values; walls are few hundred lines). */
  function draw() {
    const current = scene();
    tiles.show(room.isGm() ? null : current, view().explored);
    drawShade(current);
    drawMarks(current);
    drawDraft();
    edit.draw(handles);
    map.requestRender();
  }

  function drawShade(current) {
    const vision = eyes()?.vision;
    dark.clear();
    dim.clear();
    seen.clear();
    remembered.clear();
    shade.visible = Boolean(current && vision);
    if (!shade.visible) return;
    const { width, height } = current;
    // Far beyond the scene too: nothing past its edges shows either.
    dark.rect(-width, -height, width * 3, height * 3).fill({ color: 0x000000, alpha: 1 });
    dim.rect(-width, -height, width * 3, height * 3).fill({ color: 0x000000, alpha: 0.55 });
    fillPieces(seen, vision);
    const explored = eyes().explored;
    if (explored) {
      eachCell(explored, (x, y, size) => remembered.rect(x, y, size, size));
      remembered.fill({ color: 0xffffff });
    }
    fillPieces(remembered, vision);
    // Black where nothing was ever seen; half dark where it was, but is not now.
    dark.setMask({ mask: remembered, inverse: true });
    dim.setMask({ mask: seen, inverse: true });
  }

  /** Each piece of what is seen, its holes (dark inside a lit piece) cut out: pieces overlap, holes stay theirs. */
  function fillPieces(graphics, vision) {
    const holes = vision.holes ?? []; // [[index of the piece, path]…], in the pieces' order
    let next = 0;
    (vision.sight ?? []).forEach((path, index) => {
      graphics.poly(points(path)).fill({ color: 0xffffff });
      for (; next < holes.length && holes[next][0] === index; next++) graphics.poly(points(holes[next][1])).cut();
    });
  }

  function drawMarks(current) {
    marks.clear();
    if (!current) return;
    const gm = room.isGm();
    const width = 3 / camera.scale;
    for (const stored of Object.values(view().walls ?? {})) {
      if (!onScene(stored)) continue;
      if (!gm && stored.kind !== 'door') continue;
      const entity = gm ? edit.shownWall(stored) : stored;
      const flat = entity.points.flat();
      const colour = entity.kind === 'door' && entity.door === 'open' ? 0x8bc34a : KIND_COLOURS[entity.kind] ?? 0xffffff;
      if (gm) marks.poly(flat, false).stroke({ width, color: colour, alpha: entity.kind === 'door' && entity.door === 'open' ? 0.5 : 0.9 });
      if (entity.kind === 'door') {
        const [x, y] = middle(entity);
        marks.circle(x, y, 7 / camera.scale).fill({ color: colour }).stroke({ width: 1.5 / camera.scale, color: 0x000000 });
      }
    }
    if (!gm) return;
    const cell = current.grid?.size ?? 70;
    for (const stored of Object.values(view().lights ?? {})) {
      if (!onScene(stored)) continue;
      const light = edit.shownLight(stored);
      marks.circle(light.x, light.y, light.dim * cell).stroke({ width: width / 2, color: 0xffd27f, alpha: 0.5 });
      marks.circle(light.x, light.y, 8 / camera.scale).fill({ color: 0xffd27f }).stroke({ width: 1.5 / camera.scale, color: 0x000000 });
    }
  }

  function drawDraft() {
    draft.clear();
    if (!wall) return;
    const flat = [...wall.points, wall.to].flat();
    draft.poly(flat, false).stroke({ width: 3 / camera.scale, color: 0xff5252 });
    for (const [x, y] of wall.points) draft.circle(x, y, 4 / camera.scale).fill({ color: 0xff5252 });
  }

  function middle(entity) {
    const [a, b] = entity.points;
    return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  }

  /** A door (middle within reach of the click) or null. */
  function doorAt(x, y) {
    const reach = HIT_PX / camera.scale;
    return Object.values(view().walls ?? {}).find((entity) => entity.kind === 'door' && onScene(entity) && Math.hypot(...subtract(middle(entity), [x, y])) <= reach) ?? null;
  }

  function lightAt(x, y, touch = false) {
    const reach = (touch ? HIT_PX * 2 : HIT_PX) / camera.scale;
    return Object.values(view().lights ?? {}).find((light) => onScene(light) && Math.hypot(light.x - x, light.y - y) <= reach) ?? null;
  }

  /**
   * Wall ends within snapping distance first, then the nearest grid corner when close, else the point itself;
   * `skip` ({wallId, index}) is the point being dragged, which must not catch itself.
   */
  function snap([x, y], skip = null) {
    const reach = SNAP_PX / camera.scale;
    for (const entity of Object.values(view().walls ?? {})) {
      if (!onScene(entity)) continue;
      for (const [index, point] of entity.points.entries()) {
        if (skip?.wallId === entity.id && skip.index === index) continue;
        if (Math.hypot(point[0] - x, point[1] - y) <= reach) return [...point];
      }
    }
    for (const point of wall?.points ?? []) if (Math.hypot(point[0] - x, point[1] - y) <= reach) return [...point];
    const grid = scene()?.grid;
    if (grid && grid.type !== 'none') {
      const size = grid.size;
      const cx = Math.round((x - (grid.offsetX ?? 0)) / size) * size + (grid.offsetX ?? 0);
      const cy = Math.round((y - (grid.offsetY ?? 0)) / size) * size + (grid.offsetY ?? 0);
      if (Math.hypot(cx - x, cy - y) <= reach) return [cx, cy];
    }
    return [Math.round(x), Math.round(y)];
  }

  function finishWall() {
    const points = wall?.points ?? [];
    wall = null;
    drawDraft();
    map.requestRender();
    if (points.length >= 2) command({ op: 'wall.create', sceneId: scene().id, kind: map.tool().kind ?? 'wall', points });
  }

  // Clicks: before the map's own handling (capture), taken only when they are the vision layer's.
  canvas.addEventListener(
    'pointerdown',
    (event) => {
      if (event.button !== 0 || !scene()) return;
      const at = map.toWorld(event.clientX, event.clientY);
      const tool = map.tool();
      const taken = edit.press(at, event, tool) || (tool.name === 'wall' ? wallClick(at) : tool.name === 'light' ? lightClick(at) : doorClick(at, tool));
      if (taken) {
        event.stopImmediatePropagation();
        event.preventDefault();
      }
    },
    { capture: true },
  );
  canvas.addEventListener('pointermove', (event) => {
    if (!wall) return;
    wall.to = snap(map.toWorld(event.clientX, event.clientY));
    drawDraft();
    map.requestRender();
  });
  canvas.addEventListener('dblclick', () => wall && finishWall());
  // Refusals of an edit in the catalog's words (the server's own detail when the catalog has none for the page).
  const editCommand = (body) => room.command(IN.MAP, body).catch((error) => actions.notify(readableCode(error.code, error.message), 'error'));
  const edit = createVisionEdit({ map, view, scene, onScene, snap, lightAt, command: editCommand, redraw: () => draw() });
  window.addEventListener('keydown', (event) => {
    if (!wall) return;
    if (event.key === 'Enter') finishWall();
    if (event.key === 'Escape') {
      wall = null;
      drawDraft();
      map.requestRender();
    }
  });

  function wallClick(at) {
    const point = snap(at);
    wall ??= { points: [], to: point };
    const last = wall.points[wall.points.length - 1];
    if (!last || last[0] !== point[0] || last[1] !== point[1]) wall.points.push(point);
    wall.to = point;
    drawDraft();
    map.requestRender();
    return true;
  }

  /** A click on a light removes it (a drag moves it: vision-edit.js), elsewhere places one. */
  function lightClick(at) {
    const found = lightAt(...at);
    if (found) command({ op: 'light.remove', lightId: found.id });
    else command({ op: 'light.create', sceneId: scene().id, x: Math.round(at[0]), y: Math.round(at[1]), bright: 2, dim: 4 });
    return true;
  }

  /** A click on a door opens or closes it (a GM's shift-click locks or unlocks it); only with the select tool. */
  function doorClick(at, tool) {
    if (tool.name !== 'select') return false;
    const door = doorAt(...at);
    if (!door) return false;
    const next = window.event?.shiftKey && room.isGm() ? (door.door === 'locked' ? 'closed' : 'locked') : door.door === 'open' ? 'closed' : 'open';
    command({ op: 'door.set', wallId: door.id, door: next });
    return true;
  }

  return {
    roomChanged(change) {
      if (viewAs && change && scene()?.vision) askViewAs();
      const patch = change?.patch;
      if (!change || change.all || !patch || 'vision' in patch || 'explored' in patch || 'activeScene' in patch || patch.upsert?.scenes || patch.upsert?.walls || patch.remove?.walls || patch.upsert?.lights || patch.remove?.lights) draw();
    },
    /** The zoom changed: line widths follow it. */
    zoomed: () => draw(),
    redraw: draw,
  };
}

function points(path) {
  return path.split(' ').flatMap((pair) => pair.split(',').map(Number));
}

function subtract([ax, ay], [bx, by]) {
  return [ax - bx, ay - by];
}

/** Calls back with each explored cell's rectangle, from the bit set (row by row, least significant bit first). */
function eachCell({ cell, cols, rows, bits }, each) {
  const bytes = Uint8Array.from(atob(bits), (c) => c.charCodeAt(0));
  for (let i = 0; i < bytes.length * 8 && i < cols * rows; i++) {
    if (bytes[i >> 3] & (1 << (i & 7))) each((i % cols) * cell, Math.floor(i / cols) * cell, cell);
  }
}
