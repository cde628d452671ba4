// The battle map: PixiJS draws, our own pointer handling decides (one code path for mouse, touch and pen).
// Rendering costs what changed, not what is shown: the world is one render group that pan and zoom move as a whole;
// tokens are sprites of textures drawn once per look (token-sprites.js); the grid and the fog are one texture each
// (scene-layers.js); drawings are cached per drawing. Frames are drawn on demand, one per animation frame at most:
// room changes only mark what they touched, and the next frame applies them all at once.
import { Application, BitmapText, Container, Graphics, Text } from 'pixi.js';
import { textureFor } from './assets.js';
import { gridDistance, snap, strokeToPolygons, visibleToPlayers } from './geometry.js';
import { createSceneLayers } from './scene-layers.js';
import { createTokenSprites, resolutionFor } from './token-sprites.js';

const DRAG_PREVIEW_MS = 60;
const LIVE_GHOST_MS = 2500;
const CAMERA_SETTLE_MS = 200;
const RENDER_TIMES_KEPT = 120;
const SHARPEN_PER_FRAME = 100;

export async function createMap({ host, room, me, actions }) {
  const app = new Application();
  // Rendered on demand, not every frame: an idle table costs nothing, and a slow GPU (or none) stays responsive.
  // No antialiasing: it is the costliest part on software renderers, and tokens are drawn smooth enough without.
  await app.init({
    resizeTo: host,
    autoStart: false,
    background: '#2b2b2b',
    antialias: false,
    autoDensity: true,
    resolution: devicePixelRatio || 1,
  });
  const canvas = app.canvas;
  canvas.dataset.testid = 'map-canvas';
  canvas.style.touchAction = 'none';
  host.appendChild(canvas);

  // One render group: moving or scaling it is one transform, the children's geometry stays where it was uploaded.
  const world = new Container({ isRenderGroup: true });
  const layers = {};
  for (const name of ['background', 'grid', 'drawings', 'map', 'tokens', 'gm', 'fog', 'overlay']) {
    // The overlay changes on every pointer move of a gesture: its own group, so the rest is not re-batched.
    layers[name] = new Container(name === 'overlay' ? { isRenderGroup: true } : {});
    world.addChild(layers[name]);
  }
  app.stage.addChild(world);

  // What the test hook and the FPS overlay read: frames drawn, token textures drawn, sprite updates per token.
  const stats = { frames: 0, tokenRedraws: 0, fogOps: 0, tokenUpdates: {}, renderTimes: [], frameTimes: [] };
  const drawings = new Map(); // drawingId → {node, key}
  const ghosts = new Map(); // tokenId → {x, y, until}: other people's drag previews
  const tokenSprites = createTokenSprites({
    renderer: app.renderer,
    layerOf: (token) => layers[token.layer === 'map' ? 'map' : token.layer === 'gm' ? 'gm' : 'tokens'],
    stats,
  });
  const sceneLayers = createSceneLayers({ renderer: app.renderer, layers, onImage: () => markScene(), stats });
  let viewAsPlayer = false;
  let selected = null;
  const picked = new Set(); // every selected token; `selected` is the one the card shows
  let tools = null; // selection, eraser, text, templates and shared measures: map-tools.js, loaded after the map
  let vision = null; // walls, doors, lights and the vision mask: vision-layer.js, loaded after the map too
  let tool = { name: 'select' };
  let fitted = null;

  // ---- camera ----
  const camera = { x: 40, y: 40, scale: 1 };
  let settleTimer = null;
  let culledFor = null; // {x, y, w, h, scale}: the world rectangle the tokens were last culled against
  function applyCamera() {
    world.position.set(camera.x, camera.y);
    world.scale.set(camera.scale);
    clearTimeout(settleTimer);
    settleTimer = setTimeout(cameraSettled, CAMERA_SETTLE_MS);
    settling = true;
    requestRender();
  }

  /**
   * Once the zoom rests, tokens in view are redrawn at the texture resolution it needs, a hundred a frame so a zoom
   * over a thousand tokens does not stall one frame.
   */
  let sharpenTo = null;
  let settling = false;
  // Condition chips and name labels are drawn for a band of zoom (steps of √2): tokens in view with them are redrawn
  // (as sharpening does) when the settled zoom leaves the band, so they keep about one size on screen.
  let marksZoom = 1;
  function cameraSettled() {
    settling = false;
    marksZoom = 2 ** (Math.round(Math.log2(camera.scale) * 2) / 2);
    cullTokens(true);
    sharpenTo = resolutionFor(camera.scale);
    vision?.zoomed();
    requestRender();
  }

  function viewRect() {
    return { x: -camera.x / camera.scale, y: -camera.y / camera.scale, w: app.screen.width / camera.scale, h: app.screen.height / camera.scale };
  }

  /** Culls against the view grown by half a screen each way, again only when the view leaves that rectangle. */
  function cullTokens(force) {
    const view = viewRect();
    const inside = culledFor && view.x >= culledFor.x && view.y >= culledFor.y && view.x + view.w <= culledFor.x + culledFor.w && view.y + view.h <= culledFor.y + culledFor.h;
    if (!force && inside && camera.scale < culledFor.scale * 1.5) return;
    culledFor = { x: view.x - view.w / 2, y: view.y - view.h / 2, w: view.w * 2, h: view.h * 2, scale: camera.scale };
    tokenSprites.cull(culledFor);
  }

  let frameQueued = false;
  function requestRender() {
    if (frameQueued) return;
    frameQueued = true;
    requestAnimationFrame(frame);
  }

  function frame(now) {
    const started = performance.now();
    applyChanges(now);
    const gliding = tokenSprites.step(now);
    const pinging = pings.length > 0;
    if (pinging) drawOverlay();
    cullTokens(false);
    if (sharpenTo && !tokenSprites.sharpen(sharpenTo, SHARPEN_PER_FRAME, marksZoom)) sharpenTo = null;
    app.renderer.render(app.stage);
    stats.frames++;
    remember(stats.renderTimes, performance.now() - started);
    remember(stats.frameTimes, now);
    frameQueued = false;
    afterFrame.forEach((then) => then());
    if (gliding || pinging || sharpenTo) requestRender();
  }
  // Page elements pinned to a map point (the vision tools' point bar) follow each pan, zoom and resize.
  const afterFrame = [];

  const remember = (list, value) => {
    list.push(value);
    if (list.length > RENDER_TIMES_KEPT) list.shift();
  };

  new ResizeObserver(() => {
    app.resize();
    culledFor = null;
    requestRender();
  }).observe(host);
  function toWorld(clientX, clientY) {
    const rect = canvas.getBoundingClientRect();
    return [(clientX - rect.left - camera.x) / camera.scale, (clientY - rect.top - camera.y) / camera.scale];
  }
  function toScreen(x, y) {
    const rect = canvas.getBoundingClientRect();
    return [rect.left + camera.x + x * camera.scale, rect.top + camera.y + y * camera.scale];
  }
  function zoomAt(clientX, clientY, factor) {
    const rect = canvas.getBoundingClientRect();
    const next = Math.max(0.1, Math.min(6, camera.scale * factor));
    const px = clientX - rect.left;
    const py = clientY - rect.top;
    camera.x = px - ((px - camera.x) * next) / camera.scale;
    camera.y = py - ((py - camera.y) * next) / camera.scale;
    camera.scale = next;
    applyCamera();
  }
  /** The first time a scene shows, it fits the screen. */
  function fitScene(scene) {
    if (fitted === scene.id) return;
    fitted = scene.id;
    const scale = Math.min(host.clientWidth / (scene.width + 40), host.clientHeight / (scene.height + 40), 1.5);
    camera.scale = Math.max(0.1, scale);
    camera.x = (host.clientWidth - scene.width * camera.scale) / 2;
    camera.y = (host.clientHeight - scene.height * camera.scale) / 2;
    applyCamera();
  }

  const scene = () => room.activeScene();
  const grid = () => scene()?.grid ?? { type: 'square', size: 70, offsetX: 0, offsetY: 0, unitsPerCell: 5, units: 'ft' };
  const playerEyes = () => !room.isGm() || viewAsPlayer;
  const isMine = (token) => (token.owners ?? []).includes(me.id);
  const showsToken = (current, token) =>
    !!current && !!token && token.sceneId === current.id && (!playerEyes() || !room.isGm() || visibleToPlayers(current, token));

  /** Tokens this screen shows: the GM's "view as player" applies the players' rules. */
  function shownTokens() {
    const current = scene();
    if (!current) return [];
    return room.tokens().filter((token) => showsToken(current, token));
  }

  // ---- what changed since the last frame ----
  const dirty = { scene: true, drawings: true, allTokens: true, tokens: new Set() };

  function markScene() {
    dirty.scene = true;
    dirty.drawings = true;
    dirty.allTokens = true;
    requestRender();
  }

  function markToken(id) {
    if (id) dirty.tokens.add(id);
    requestRender();
  }

  /** A room change: a patch that only touched tokens marks only those tokens. */
  function changed(change) {
    tools?.roomChanged(change);
    vision?.roomChanged(change);
    const patch = change?.patch;
    if (!change || change.all || (!patch && !change.tokens)) return markScene();
    (change.tokens ?? []).forEach(markToken);
    if (!patch) return;
    if ('activeScene' in patch || patch.upsert?.scenes?.length || patch.remove?.scenes?.length) markScene();
    if (patch.upsert?.drawings?.length || patch.remove?.drawings?.length) {
      dirty.drawings = true;
      requestRender();
    }
    for (const token of patch.upsert?.tokens ?? []) markToken(token.id);
    for (const id of patch.remove?.tokens ?? []) markToken(id);
  }

  function applyChanges(now) {
    const current = scene();
    if (dirty.scene) {
      if (sceneLayers.showScene(current) && current) fitScene(current);
      sceneLayers.showFog(current, playerEyes());
    }
    if (dirty.drawings) renderDrawings(current);
    const ids = dirty.allTokens ? new Set([...Object.keys(room.view()?.tokens ?? {}), ...tokenSprites.ids()]) : dirty.tokens;
    const cell = current?.grid?.size ?? 70;
    const res = resolutionFor(camera.scale);
    for (const id of ids) updateToken(id, current, cell, res, now);
    dirty.scene = false;
    dirty.drawings = false;
    dirty.allTokens = false;
    dirty.tokens = new Set();
  }

  function updateToken(id, current, cell, res, now) {
    const token = room.tokenAt(id);
    if (!showsToken(current, token)) return tokenSprites.remove(id);
    const context = {
      mine: isMine(token),
      selected: picked.has(id),
      cell,
      textureReady: !!textureFor(token.image),
      onTextureReady: () => markToken(id),
      marks: tools?.marks,
      zoom: marksZoom,
    };
    const member = drag?.group.find(([other]) => other === id);
    const dragged = drag?.tokenId === id ? drag.at : member ? [drag.at[0] + member[1], drag.at[1] + member[2]] : null;
    const ghost = ghosts.get(id);
    const at = dragged ?? (ghost && ghost.until > now ? [ghost.x, ghost.y] : [token.x, token.y]);
    tokenSprites.update(token, context, at, { glide: !dragged, res, now });
  }

  function renderDrawings(current) {
    const view = room.view();
    const seen = new Set();
    for (const drawing of Object.values(view?.drawings ?? {})) {
      if (drawing.sceneId !== current?.id) continue;
      seen.add(drawing.id);
      const key = JSON.stringify(drawing);
      const entry = drawings.get(drawing.id);
      if (entry?.key === key) continue;
      entry?.node.destroy();
      const node = drawingNode(drawing);
      layers.drawings.addChild(node);
      drawings.set(drawing.id, { node, key });
    }
    for (const [id, entry] of drawings) {
      if (!seen.has(id)) {
        entry.node.destroy();
        drawings.delete(id);
      }
    }
  }

  // ---- overlay: ruler, previews, pings ----
  const overlay = new Graphics();
  // Bitmap text: the ruler's label changes on every pointer move, and cached glyphs make that a few quads.
  const rulerLabel = new BitmapText({ text: '', style: { fontFamily: 'system-ui, sans-serif', fontSize: 18, fill: '#ffffff', stroke: { color: '#000000', width: 4, join: 'round' } } });
  layers.overlay.addChild(overlay, rulerLabel);
  const pings = [];

  function renderOverlay() {
    drawOverlay();
    requestRender();
  }

  function drawOverlay() {
    overlay.clear();
    rulerLabel.text = '';
    const now = performance.now();
    for (let i = pings.length - 1; i >= 0; i--) {
      const age = (now - pings[i].at) / 1500;
      if (age >= 1) {
        pings.splice(i, 1);
        continue;
      }
      overlay.circle(pings[i].x, pings[i].y, 10 + age * 60).stroke({ width: 4 / camera.scale, color: pings[i].colour, alpha: 1 - age });
    }
    tools?.drawOverlay(overlay, gesture);
    if (!gesture) return;
    const width = 2 / camera.scale;
    if (gesture.kind === 'ruler') {
      const [ax, ay] = gesture.from;
      const [bx, by] = gesture.to;
      overlay.moveTo(ax, ay).lineTo(bx, by).stroke({ width: 3 / camera.scale, color: '#ffeb3b' });
      const g = grid();
      rulerLabel.text = `${round(gridDistance(g, ax, ay, bx, by))} ${g.units ?? ''}`;
      rulerLabel.position.set(bx + 12 / camera.scale, by + 12 / camera.scale);
      rulerLabel.scale.set(1 / camera.scale);
      return;
    }
    const preview = previewShape();
    if (!preview) return;
    if (preview.kind === 'rect') overlay.rect(preview.x, preview.y, preview.w, preview.h);
    else if (preview.kind === 'circle') overlay.circle(preview.x, preview.y, preview.r);
    else if (preview.points.length > 1) overlay.poly(preview.points.flat(), preview.closed);
    overlay.stroke({ width, color: gesture.kind.startsWith('fog') ? '#4fc3f7' : tool.color ?? '#ff5252' });
  }

  function previewShape(g = gesture) {
    const [ax, ay] = g.from ?? [0, 0];
    const [bx, by] = g.to ?? [0, 0];
    switch (g.kind) {
      case 'fog-rect':
      case 'draw-rect':
        return { kind: 'rect', x: Math.min(ax, bx), y: Math.min(ay, by), w: Math.abs(bx - ax), h: Math.abs(by - ay) };
      case 'draw-circle':
        return { kind: 'circle', x: ax, y: ay, r: Math.hypot(bx - ax, by - ay) };
      case 'draw-line':
        return { kind: 'path', points: [g.from, g.to] };
      case 'draw-freehand':
      case 'fog-brush':
        return { kind: 'path', points: g.points };
      case 'fog-poly':
        return { kind: 'path', points: [...g.points, g.to], closed: false };
      default:
        return null;
    }
  }

  /** Someone else's drag preview holds the token there for a while; then it goes back to where the room has it. */
  function showGhost(tokenId, x, y) {
    const ghost = { x, y, until: performance.now() + LIVE_GHOST_MS };
    ghosts.set(tokenId, ghost);
    markToken(tokenId);
    setTimeout(() => {
      if (ghosts.get(tokenId) !== ghost) return;
      ghosts.delete(tokenId);
      markToken(tokenId);
    }, LIVE_GHOST_MS + 1);
  }

  // ---- pointer input ----
  const pointers = new Map();
  let gesture = null;
  let drag = null;
  let lastDragSent = 0;
  let pinch = null;

  function hitToken(x, y) {
    const cell = grid().size;
    const candidates = shownTokens().reverse();
    return candidates.find((token) => Math.hypot(token.x - x, token.y - y) <= (token.size ?? 1) * cell * 0.5);
  }

  canvas.addEventListener('pointerdown', (event) => {
    canvas.setPointerCapture(event.pointerId);
    pointers.set(event.pointerId, [event.clientX, event.clientY]);
    if (pointers.size === 2) return startPinch();
    if (pointers.size > 2) return;
    const at = toWorld(event.clientX, event.clientY);
    if (event.button === 1 || event.button === 2) {
      gesture = { kind: 'pan', last: [event.clientX, event.clientY] };
      return;
    }
    startGesture(at, event);
  });

  canvas.addEventListener('pointermove', (event) => {
    if (!pointers.has(event.pointerId)) return;
    pointers.set(event.pointerId, [event.clientX, event.clientY]);
    if (pinch) return movePinch();
    const at = toWorld(event.clientX, event.clientY);
    if (gesture?.kind === 'pan') {
      camera.x += event.clientX - gesture.last[0];
      camera.y += event.clientY - gesture.last[1];
      gesture.last = [event.clientX, event.clientY];
      applyCamera();
    } else if (drag) {
      drag.at = [at[0] - drag.offset[0], at[1] - drag.offset[1]];
      drag.moved ||= Math.hypot(event.clientX - drag.screen[0], event.clientY - drag.screen[1]) > 4;
      sendDragPreview();
      markToken(drag.tokenId);
      drag.group.forEach(([id]) => markToken(id));
    } else if (gesture) {
      gesture.to = at;
      if (gesture.points && gesture.kind !== 'fog-poly') gesture.points.push(at.map(round));
      tools?.moved(gesture);
      renderOverlay();
    }
  });

  const release = (event) => {
    if (!pointers.delete(event.pointerId)) return;
    if (pinch) {
      if (pointers.size < 2) pinch = null;
      return;
    }
    if (drag) finishDrag();
    else if (gesture) finishGesture(toWorld(event.clientX, event.clientY), event.type === 'pointercancel');
  };
  canvas.addEventListener('pointerup', release);
  canvas.addEventListener('pointercancel', release);
  canvas.addEventListener('contextmenu', (event) => {
    event.preventDefault();
    const at = toWorld(event.clientX, event.clientY);
    const token = hitToken(...at);
    if (token) {
      select(token.id);
      actions.tokenMenu(token, event.clientX, event.clientY);
    }
  });
  canvas.addEventListener('dblclick', () => {
    if (gesture?.kind === 'fog-poly') closePolygon();
  });
  canvas.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      zoomAt(event.clientX, event.clientY, Math.exp(-event.deltaY * 0.0015));
    },
    { passive: false },
  );

  function startGesture(at, event) {
    if (tools?.pointerDown(at, event, tool)) return;
    switch (tool.name) {
      case 'box':
      case 'select': {
        const token = hitToken(...at);
        if (token) {
          if (!picked.has(token.id)) select(token.id);
          // The others selected move along, each keeping its distance to the one in hand.
          const group = [...picked].filter((id) => id !== token.id && room.tokenAt(id)).map((id) => [id, room.tokenAt(id).x - token.x, room.tokenAt(id).y - token.y]);
          drag = { tokenId: token.id, group, offset: [at[0] - token.x, at[1] - token.y], at: [token.x, token.y], screen: [event.clientX, event.clientY], moved: false };
        } else {
          select(null);
          gesture = { kind: 'pan', last: [event.clientX, event.clientY] };
        }
        return;
      }
      case 'ping':
        actions.live('ping', round(at[0]), round(at[1]));
        showPing(at[0], at[1], '#ffeb3b');
        return;
      case 'fog-poly':
        if (gesture?.kind === 'fog-poly') {
          const first = gesture.points[0];
          if (gesture.points.length >= 3 && Math.hypot(first[0] - at[0], first[1] - at[1]) * camera.scale < 12) return closePolygon();
          gesture.points.push(at.map(round));
        } else gesture = { kind: 'fog-poly', points: [at.map(round)], to: at };
        renderOverlay();
        return;
      default:
        gesture = { kind: tool.name, from: at, to: at, points: [at.map(round)] };
    }
  }

  function closePolygon() {
    const points = gesture.points;
    gesture = null;
    renderOverlay();
    if (points.length >= 3) actions.fog(tool.mode, { kind: 'polygon', points: points.slice(0, 1000) });
  }

  function finishGesture(at, cancelled) {
    if (gesture.kind === 'fog-poly') return;
    const done = gesture;
    done.to = at;
    gesture = null;
    renderOverlay();
    if (cancelled || tools?.finish(done) || done.kind === 'pan' || done.kind === 'ruler') return;
    const shape = previewShape(done);
    const [ax, ay] = done.from.map(round);
    const [bx, by] = at.map(round);
    switch (done.kind) {
      case 'fog-rect':
        if (shape.w >= 2 && shape.h >= 2) actions.fog(tool.mode, { kind: 'rect', x: round(shape.x), y: round(shape.y), w: round(shape.w), h: round(shape.h) });
        return;
      case 'fog-brush':
        for (const points of strokeToPolygons(done.points, tool.brush ?? 35)) actions.fog(tool.mode, { kind: 'polygon', points });
        return;
      case 'draw-freehand':
        if (done.points.length >= 2) actions.draw({ kind: 'freehand', points: done.points.slice(0, 1000) });
        return;
      case 'draw-line':
      case 'draw-rect':
      case 'draw-circle':
        if (ax !== bx || ay !== by) actions.draw({ kind: done.kind.slice(5), points: [[ax, ay], [bx, by]] });
        return;
      case 'draw-text':
        actions.drawText([ax, ay]);
        return;
      default:
    }
  }

  function sendDragPreview() {
    const token = room.tokenAt(drag.tokenId);
    // Previews of tokens I may not move would show others a move that will never happen.
    if (!token || (!room.isGm() && !isMine(token))) return;
    const now = performance.now();
    if (now - lastDragSent < DRAG_PREVIEW_MS) return;
    lastDragSent = now;
    actions.live('drag', round(drag.at[0]), round(drag.at[1]), drag.tokenId);
  }

  function finishDrag() {
    const done = drag;
    drag = null;
    done.group.forEach(([id]) => markToken(id));
    if (!done.moved) return markToken(done.tokenId);
    const token = room.tokenAt(done.tokenId);
    const [x, y] = snap(grid(), done.at[0], done.at[1], token?.size ?? 1);
    if (done.group.length) return tools?.moveGroup(done, x, y);
    actions.move(done.tokenId, round(x), round(y));
    markToken(done.tokenId);
  }

  function startPinch() {
    drag = null;
    gesture = null;
    const [a, b] = [...pointers.values()];
    pinch = { distance: Math.hypot(a[0] - b[0], a[1] - b[1]), centre: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] };
    markScene();
  }

  function movePinch() {
    const [a, b] = [...pointers.values()];
    const distance = Math.hypot(a[0] - b[0], a[1] - b[1]);
    const centre = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    camera.x += centre[0] - pinch.centre[0];
    camera.y += centre[1] - pinch.centre[1];
    applyCamera();
    zoomAt(centre[0], centre[1], distance / (pinch.distance || distance));
    pinch = { distance, centre };
  }

  /** One token selected (or none); `add` toggles one in or out of the selection instead. */
  function select(id, add = false) {
    if (!add && selected === id && picked.size <= 1) return;
    if (!add) {
      picked.forEach(markToken);
      picked.clear();
    }
    if (id && add && picked.has(id)) picked.delete(id);
    else if (id) picked.add(id);
    selected = picked.has(id) ? id : [...picked].at(-1) ?? null;
    markToken(id);
    actions.selected(selected, [...picked]);
  }

  function showPing(x, y, colour) {
    pings.push({ x, y, colour, at: performance.now() });
    requestRender();
  }

  applyCamera();
  markScene();
  const fps = fpsOverlay(host, stats, () => tokenSprites.size());
  const inner = { app, canvas, layers, room, me, actions, camera, grid, scene, select, picked, hitToken, shownTokens, isMine, markToken, requestRender: renderOverlay, begin: (next) => (gesture = next), playerEyes, drawings: () => drawings, toScreen, toWorld, round, afterFrame, tool: () => tool, cancel: () => (gesture = null) };
  import('./map-tools.js').then(({ createMapTools }) => {
    tools = createMapTools(inner);
    markScene();
  });
  import('./vision-layer.js').then(({ createVisionLayer }) => (vision = createVisionLayer(inner)).redraw());

  return {
    /** The room changed: `{all}`, `{patch}` of an event, or `{tokens: [ids]}` of my own pending moves. */
    render: changed,
    setTool(next) {
      tool = next;
      gesture = null;
      canvas.dataset.tool = next.name;
      renderOverlay();
      vision?.redraw();
    },
    setViewAsPlayer(on) {
      viewAsPlayer = on;
      markScene();
    },
    viewAsPlayer: () => viewAsPlayer,
    selected: () => selected,
    picked: () => [...picked],
    select,
    tools: () => tools,
    /** Someone else's drag preview or ping, relayed by `vtt.in.live`. */
    live(message) {
      if (message.from === me.id || tools?.live(message)) return;
      if (message.op === 'ping') showPing(message.x, message.y, '#ff7043');
      if (message.op === 'drag' && message.tokenId) showGhost(message.tokenId, message.x, message.y);
    },
    /** A stored move ends the preview of that token. */
    settled(tokenIds) {
      for (const id of tokenIds) ghosts.delete(id);
    },
    shownTokens,
    toScreen,
    /** Frames drawn, token textures drawn and sprite updates per token since the page opened; whether a glide runs. */
    renderStats: () => ({ frames: stats.frames, tokenRedraws: stats.tokenRedraws, fogOps: stats.fogOps, tokenUpdates: { ...stats.tokenUpdates }, sprites: tokenSprites.size(), busy: frameQueued || settling || tokenSprites.animating() }),
    toggleFps: () => fps.toggle(),
    spriteAt: (id) => tokenSprites.positionOf(id),
    tokenQuads: (id) => tokenSprites.quadsOf(id),
    zoomBy: (factor) => zoomAt(host.getBoundingClientRect().left + host.clientWidth / 2, host.getBoundingClientRect().top + host.clientHeight / 2, factor),
    /** The whole scene on screen again, and 100 % about the screen's centre. */
    fit: () => {
      fitted = null;
      if (scene()) fitScene(scene());
    },
    resetZoom: () => zoomAt(host.getBoundingClientRect().left + host.clientWidth / 2, host.getBoundingClientRect().top + host.clientHeight / 2, 1 / camera.scale),
    zoom: () => camera.scale,
    app,
  };
}

function drawingNode(drawing) {
  const [first, second] = drawing.points;
  if (drawing.kind === 'text') {
    const text = new Text({ text: drawing.text ?? '', style: { fontFamily: 'system-ui, sans-serif', fontSize: 12 + drawing.width * 4, fill: drawing.color } });
    text.position.set(first[0], first[1]);
    return text;
  }
  const g = new Graphics();
  if (drawing.kind === 'rect') g.rect(Math.min(first[0], second[0]), Math.min(first[1], second[1]), Math.abs(second[0] - first[0]), Math.abs(second[1] - first[1]));
  else if (drawing.kind === 'circle') g.circle(first[0], first[1], Math.hypot(second[0] - first[0], second[1] - first[1]));
  else g.poly(drawing.points.flat(), false);
  return g.stroke({ width: drawing.width, color: drawing.color, cap: 'round', join: 'round' });
}

const round = (value) => Math.round(value * 10) / 10;

/** The page's own frame meter (the F key): frames drawn in the last second and main-thread time per frame. */
function fpsOverlay(host, stats, sprites) {
  const box = document.createElement('div');
  box.className = 'fps-meter';
  box.dataset.testid = 'fps-meter';
  box.hidden = true;
  host.appendChild(box);
  let timer = null;
  const show = () => {
    const now = performance.now();
    const recent = stats.frameTimes.filter((t) => now - t <= 1000).length;
    const times = [...stats.renderTimes].sort((a, b) => a - b);
    const p50 = times[Math.floor(times.length / 2)] ?? 0;
    const p95 = times[Math.floor(times.length * 0.95)] ?? 0;
    box.textContent = `${recent} frames/s · frame work p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms · ${sprites()} tokens · ${stats.tokenRedraws} token draws`;
  };
  const toggle = () => {
    box.hidden = !box.hidden;
    clearInterval(timer);
    if (!box.hidden) {
      show();
      timer = setInterval(show, 500);
    }
  };
  addEventListener('keydown', (event) => {
    const typing = event.target instanceof HTMLElement && (event.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName));
    if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && event.key.toLowerCase() === 'f') toggle();
  });
  return { toggle };
}
