// The battle map: PixiJS draws, our own pointer handling decides (one code path for mouse, touch and pen).
import { Application, Container, Graphics, Sprite, Text, Texture } from 'pixi.js';
import { textureFor } from './assets.js';
import { gridDistance, hexOutlines, snap, strokeToPolygons, visibleToPlayers } from './geometry.js';
import { buildToken, lookKey } from './tokens.js';

const DRAG_PREVIEW_MS = 60;
const FOG_MAX_PIXELS = 2048;
const LIVE_GHOST_MS = 2500;

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

  const world = new Container();
  const layers = {};
  for (const name of ['background', 'grid', 'drawings', 'map', 'tokens', 'gm', 'fog', 'overlay']) {
    layers[name] = new Container();
    world.addChild(layers[name]);
  }
  app.stage.addChild(world);

  const sprites = new Map(); // tokenId → {node, key}
  const drawings = new Map(); // drawingId → {node, key}
  const ghosts = new Map(); // tokenId → {x, y, until}: other people's drag previews
  let sceneKey = null;
  let fogCanvas = null;
  let fogSprite = null;
  let fogKey = null;
  let viewAsPlayer = false;
  let selected = null;
  let tool = { name: 'select' };
  let fitted = null;

  // ---- camera ----
  const camera = { x: 40, y: 40, scale: 1 };
  function applyCamera() {
    world.position.set(camera.x, camera.y);
    world.scale.set(camera.scale);
    requestRender();
  }

  let frameQueued = false;
  function requestRender() {
    if (frameQueued) return;
    frameQueued = true;
    requestAnimationFrame(() => {
      frameQueued = false;
      const animating = animate();
      app.renderer.render(app.stage);
      if (animating) requestRender();
    });
  }
  new ResizeObserver(() => {
    app.resize();
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

  /** Tokens this screen shows: the GM's "view as player" applies the players' rules. */
  function shownTokens() {
    const current = scene();
    if (!current) return [];
    return room
      .tokens()
      .filter((token) => token.sceneId === current.id)
      .filter((token) => !playerEyes() || !room.isGm() || visibleToPlayers(current, token));
  }

  // ---- drawing the scene ----
  function renderScene() {
    const current = scene();
    const key = current ? JSON.stringify([current.id, current.image, current.width, current.height, current.grid]) : null;
    if (key === sceneKey) return;
    sceneKey = key;
    layers.background.removeChildren();
    layers.grid.removeChildren();
    if (!current) return;
    fitScene(current);
    layers.background.addChild(new Graphics().rect(0, 0, current.width, current.height).fill('#3e4a3d'));
    const texture = textureFor(current.image, () => {
      sceneKey = null;
      renderAll();
    });
    if (texture) {
      const image = new Sprite(texture);
      image.width = current.width;
      image.height = current.height;
      layers.background.addChild(image);
    }
    layers.grid.addChild(gridGraphics(current));
  }

  function gridGraphics(current) {
    const g = new Graphics();
    const { type, size, offsetX, offsetY } = current.grid;
    if (type === 'square') {
      for (let x = offsetX % size; x <= current.width; x += size) g.moveTo(x, 0).lineTo(x, current.height);
      for (let y = offsetY % size; y <= current.height; y += size) g.moveTo(0, y).lineTo(current.width, y);
    } else if (type === 'hex' || type === 'hexColumns') {
      for (const outline of hexOutlines(current.grid, current.width, current.height)) g.poly(outline, true);
    }
    return g.stroke({ width: 1, color: '#000000', alpha: 0.35 });
  }

  function renderFog() {
    const current = scene();
    const opaque = playerEyes();
    const key = current ? JSON.stringify([current.id, current.width, current.height, current.fog, opaque]) : null;
    if (key === fogKey) return;
    fogKey = key;
    layers.fog.removeChildren();
    if (!current?.fog?.enabled) return;
    const factor = Math.min(1, FOG_MAX_PIXELS / Math.max(current.width, current.height));
    fogCanvas ??= document.createElement('canvas');
    fogCanvas.width = Math.ceil(current.width * factor);
    fogCanvas.height = Math.ceil(current.height * factor);
    const ctx = fogCanvas.getContext('2d');
    ctx.setTransform(factor, 0, 0, factor, 0, 0);
    ctx.fillStyle = '#000';
    if (current.fog.initial === 'covered') ctx.fillRect(0, 0, current.width, current.height);
    for (const op of current.fog.ops ?? []) {
      ctx.globalCompositeOperation = op.op === 'reveal' ? 'destination-out' : 'source-over';
      ctx.beginPath();
      if (op.shape.kind === 'rect') ctx.rect(op.shape.x, op.shape.y, op.shape.w, op.shape.h);
      else op.shape.points.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.closePath();
      ctx.fill('evenodd');
    }
    ctx.globalCompositeOperation = 'source-over';
    fogSprite?.texture.destroy(true);
    fogSprite = new Sprite(Texture.from(fogCanvas, true));
    fogSprite.width = current.width;
    fogSprite.height = current.height;
    fogSprite.alpha = opaque ? 1 : 0.5;
    layers.fog.addChild(fogSprite);
  }

  function renderTokens() {
    const current = scene();
    const cell = current?.grid?.size ?? 70;
    const shown = shownTokens();
    const seen = new Set();
    const now = performance.now();
    for (const token of shown) {
      seen.add(token.id);
      const context = { mine: isMine(token), selected: selected === token.id, cell, textureReady: !!textureFor(token.image) };
      const key = lookKey(token, context);
      let entry = sprites.get(token.id);
      if (!entry || entry.key !== key) {
        entry?.node.destroy({ children: true });
        const node = buildToken(token, { ...context, onTextureReady: () => renderAll() });
        entry = { node, key };
        sprites.set(token.id, entry);
      }
      const layer = layers[token.layer === 'map' ? 'map' : token.layer === 'gm' ? 'gm' : 'tokens'];
      if (entry.node.parent !== layer) layer.addChild(entry.node);
      const dragged = drag?.tokenId === token.id ? drag.at : null;
      const ghost = ghosts.get(token.id);
      const at = dragged ?? (ghost && ghost.until > now ? [ghost.x, ghost.y] : [token.x, token.y]);
      entry.node.position.set(at[0], at[1]);
    }
    for (const [id, entry] of sprites) {
      if (!seen.has(id)) {
        entry.node.destroy({ children: true });
        sprites.delete(id);
      }
    }
    requestRender();
  }

  function renderDrawings() {
    const current = scene();
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

  function renderAll() {
    renderScene();
    renderFog();
    renderDrawings();
    renderTokens();
    renderOverlay();
  }

  // ---- overlay: ruler, previews, pings ----
  const overlay = new Graphics();
  const rulerLabel = new Text({ text: '', style: { fontFamily: 'system-ui, sans-serif', fontSize: 18, fill: '#ffffff', stroke: { color: '#000000', width: 4 } } });
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

  /** Pings fade and others' drag previews expire: true while something still moves. */
  function animate() {
    if (!pings.length && !ghosts.size) return false;
    const now = performance.now();
    for (const [id, ghost] of ghosts) if (ghost.until <= now) ghosts.delete(id);
    renderTokens();
    drawOverlay();
    return pings.length > 0 || ghosts.size > 0;
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
      renderTokens();
    } else if (gesture) {
      gesture.to = at;
      if (gesture.points && gesture.kind !== 'fog-poly') gesture.points.push(at.map(round));
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
    switch (tool.name) {
      case 'select': {
        const token = hitToken(...at);
        if (token) {
          select(token.id);
          drag = { tokenId: token.id, offset: [at[0] - token.x, at[1] - token.y], at: [token.x, token.y], screen: [event.clientX, event.clientY], moved: false };
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
    if (cancelled || done.kind === 'pan' || done.kind === 'ruler') return;
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
    if (!done.moved) return renderTokens();
    const token = room.tokenAt(done.tokenId);
    const [x, y] = snap(grid(), done.at[0], done.at[1], token?.size ?? 1);
    actions.move(done.tokenId, round(x), round(y));
    renderTokens();
  }

  function startPinch() {
    drag = null;
    gesture = null;
    const [a, b] = [...pointers.values()];
    pinch = { distance: Math.hypot(a[0] - b[0], a[1] - b[1]), centre: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] };
    renderAll();
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

  function select(id) {
    if (selected === id) return;
    selected = id;
    renderTokens();
    actions.selected(id);
  }

  function showPing(x, y, colour) {
    pings.push({ x, y, colour, at: performance.now() });
    requestRender();
  }

  applyCamera();
  renderAll();

  return {
    render: renderAll,
    setTool(next) {
      tool = next;
      gesture = null;
      canvas.dataset.tool = next.name;
      renderOverlay();
    },
    setViewAsPlayer(on) {
      viewAsPlayer = on;
      renderAll();
    },
    viewAsPlayer: () => viewAsPlayer,
    selected: () => selected,
    select,
    /** Someone else's drag preview or ping, relayed by `vtt.in.live`. */
    live(message) {
      if (message.from === me.id) return;
      if (message.op === 'ping') showPing(message.x, message.y, '#ff7043');
      if (message.op === 'drag' && message.tokenId) {
        ghosts.set(message.tokenId, { x: message.x, y: message.y, until: performance.now() + LIVE_GHOST_MS });
        renderTokens();
      }
    },
    /** A stored move ends the preview of that token. */
    settled(tokenIds) {
      for (const id of tokenIds) ghosts.delete(id);
    },
    shownTokens,
    toScreen,
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
