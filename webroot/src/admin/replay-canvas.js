// Draws a GM view of a room (one scene) on a 2D canvas: background, grid, drawings, tokens, fog (translucent,
// as the GM sees it). Coordinates in a view are scene pixels; the canvas scales the scene to its width.

const MAP_COLOUR = '#e8e1cf';
const GRID_COLOUR = 'rgba(60, 50, 30, 0.28)';
const FOG_COLOUR = '#101218';
const FOG_ALPHA = 0.55;

/** The scene a view shows: its active one, else its first (a GM may be preparing one before activating it). */
export function shownScene(view) {
  const scenes = view?.scenes ?? {};
  return scenes[view?.activeScene] ?? Object.values(scenes)[0] ?? null;
}

/**
 * @param images Map of asset id → a drawable image (loaded elsewhere; a missing one draws as the plain map colour)
 */
export function drawView(canvas, view, images = new Map()) {
  const scene = shownScene(view);
  const ctx = canvas.getContext('2d');
  const cssWidth = Math.max(200, canvas.parentElement?.clientWidth || 640);
  const ratio = window.devicePixelRatio || 1;
  if (!scene) {
    sizeCanvas(canvas, cssWidth, cssWidth * 0.5, ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = '#2a2d33';
    ctx.fillRect(0, 0, cssWidth, cssWidth * 0.5);
    ctx.fillStyle = '#cfd3da';
    ctx.font = '16px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.fillText('No scene yet at this point of the log', cssWidth / 2, cssWidth * 0.25);
    canvas.dataset.scene = '';
    canvas.dataset.tokens = '0';
    return;
  }
  const scale = cssWidth / scene.width;
  const cssHeight = scene.height * scale;
  sizeCanvas(canvas, cssWidth, cssHeight, ratio);
  ctx.setTransform(ratio * scale, 0, 0, ratio * scale, 0, 0);

  ctx.fillStyle = MAP_COLOUR;
  ctx.fillRect(0, 0, scene.width, scene.height);
  const background = scene.image && images.get(scene.image);
  if (background) ctx.drawImage(background, 0, 0, scene.width, scene.height);
  drawGrid(ctx, scene);

  const onScene = (item) => item.sceneId === scene.id;
  const drawings = Object.values(view.drawings ?? {}).filter(onScene);
  const tokens = Object.values(view.tokens ?? {}).filter(onScene);
  drawings.forEach((drawing) => drawDrawing(ctx, drawing));
  tokens.forEach((token) => drawToken(ctx, token, scene.grid?.size ?? 70, scale));
  drawFog(ctx, scene, ratio * scale);

  canvas.dataset.scene = scene.id;
  canvas.dataset.tokens = String(tokens.length);
  canvas.setAttribute('aria-label', `Scene “${scene.name}”: ${tokens.length} tokens, ${drawings.length} drawings${scene.fog?.enabled ? ', fog on' : ''}`);
}

function sizeCanvas(canvas, width, height, ratio) {
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
}

function drawGrid(ctx, scene) {
  const grid = scene.grid ?? {};
  if (grid.type === 'none') return;
  const size = grid.size ?? 70;
  ctx.save();
  ctx.strokeStyle = GRID_COLOUR;
  ctx.lineWidth = 1;
  ctx.beginPath();
  if (grid.type === 'hex') {
    // Pointy-top hexes of width `size`, rows 3/4 of their height apart.
    const r = size / Math.sqrt(3);
    for (let row = 0, y = grid.offsetY ?? 0; y < scene.height + r; row++, y += 1.5 * r) {
      for (let x = (grid.offsetX ?? 0) + (row % 2 ? size / 2 : 0); x < scene.width + size; x += size) {
        for (let i = 0; i <= 6; i++) {
          const angle = Math.PI / 6 + (i * Math.PI) / 3;
          const px = x + r * Math.cos(angle);
          const py = y + r * Math.sin(angle);
          if (i === 0) ctx.moveTo(px, py);
          else ctx.lineTo(px, py);
        }
      }
    }
  } else {
    for (let x = mod(grid.offsetX ?? 0, size); x <= scene.width; x += size) {
      ctx.moveTo(x, 0);
      ctx.lineTo(x, scene.height);
    }
    for (let y = mod(grid.offsetY ?? 0, size); y <= scene.height; y += size) {
      ctx.moveTo(0, y);
      ctx.lineTo(scene.width, y);
    }
  }
  ctx.stroke();
  ctx.restore();
}

const mod = (a, n) => ((a % n) + n) % n;

function drawDrawing(ctx, drawing) {
  const points = drawing.points ?? [];
  if (!points.length) return;
  ctx.save();
  ctx.strokeStyle = drawing.color ?? '#000';
  ctx.fillStyle = drawing.color ?? '#000';
  ctx.lineWidth = drawing.width ?? 3;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  const [[x0, y0], [x1, y1] = points[0]] = points;
  ctx.beginPath();
  switch (drawing.kind) {
    case 'rect':
      ctx.strokeRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
      break;
    case 'circle':
      // First point the centre, second a point on the rim.
      ctx.arc(x0, y0, Math.hypot(x1 - x0, y1 - y0), 0, Math.PI * 2);
      ctx.stroke();
      break;
    case 'text':
      ctx.font = `${Math.max(12, (drawing.width ?? 3) * 6)}px system-ui, sans-serif`;
      ctx.textBaseline = 'top';
      ctx.fillText(drawing.text ?? '', x0, y0);
      break;
    default:
      points.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.stroke();
  }
  ctx.restore();
}

function drawToken(ctx, token, cellSize, scale) {
  const radius = ((token.size ?? 1) * cellSize) / 2;
  ctx.save();
  const secret = token.hidden || token.layer === 'gm';
  ctx.globalAlpha = secret ? 0.5 : 1;
  ctx.beginPath();
  ctx.arc(token.x, token.y, radius * 0.9, 0, Math.PI * 2);
  ctx.fillStyle = token.color ?? '#607d8b';
  ctx.fill();
  ctx.lineWidth = Math.max(1.5, 2 / scale);
  ctx.strokeStyle = '#ffffff';
  if (secret) ctx.setLineDash([6 / scale, 4 / scale]);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = readableOn(token.color ?? '#607d8b');
  ctx.font = `600 ${Math.max(10 / scale, radius * 0.7)}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(initials(token.name), token.x, token.y);
  ctx.restore();
}

export function initials(name) {
  const words = String(name ?? '?').trim().split(/\s+/).filter(Boolean);
  if (!words.length) return '?';
  return (words.length === 1 ? words[0].slice(0, 2) : words[0][0] + words[1][0]).toUpperCase();
}

function readableOn(hex) {
  const value = /^#?([0-9a-f]{6})$/i.exec(hex)?.[1];
  if (!value) return '#fff';
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(value.slice(i, i + 2), 16));
  return r * 0.299 + g * 0.587 + b * 0.114 > 150 ? '#111' : '#fff';
}

/** The fog as its ops say (the last op containing a point decides it), on a layer of its own, laid over translucent. */
function drawFog(ctx, scene, pixelScale) {
  const fog = scene.fog;
  if (!fog?.enabled) return;
  const layer = document.createElement('canvas');
  layer.width = ctx.canvas.width;
  layer.height = ctx.canvas.height;
  const fctx = layer.getContext('2d');
  fctx.setTransform(pixelScale, 0, 0, pixelScale, 0, 0);
  fctx.fillStyle = FOG_COLOUR;
  if (fog.initial === 'covered') fctx.fillRect(0, 0, scene.width, scene.height);
  for (const op of fog.ops ?? []) {
    fctx.globalCompositeOperation = op.op === 'reveal' ? 'destination-out' : 'source-over';
    fctx.beginPath();
    const shape = op.shape ?? {};
    if (shape.kind === 'rect') fctx.rect(shape.x, shape.y, shape.w, shape.h);
    else (shape.points ?? []).forEach(([x, y], i) => (i ? fctx.lineTo(x, y) : fctx.moveTo(x, y)));
    fctx.closePath();
    fctx.fill();
  }
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.globalAlpha = FOG_ALPHA;
  ctx.drawImage(layer, 0, 0);
  ctx.restore();
}
