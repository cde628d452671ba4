// Grid and fog geometry, the same rules as the server's Geometry and RoomViews (shared/…/room/).

const SQRT3 = Math.sqrt(3);

export function shapeContains(shape, x, y) {
  if (shape.kind === 'rect') return x >= shape.x && y >= shape.y && x <= shape.x + shape.w && y <= shape.y + shape.h;
  const points = shape.points;
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [ax, ay] = points[i];
    const [bx, by] = points[j];
    if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside;
}

/** Whether fog hides the point from players: the last operation containing it decides. */
export function fogCovers(fog, x, y) {
  if (!fog?.enabled) return false;
  const ops = fog.ops ?? [];
  for (let i = ops.length - 1; i >= 0; i--) {
    if (shapeContains(ops[i].shape, x, y)) return ops[i].op === 'cover';
  }
  return fog.initial === 'covered';
}

/** What a player would see of a token: used for the GM's "view as player". */
export function visibleToPlayers(scene, token) {
  if (!scene || token.hidden || token.layer === 'gm' || token.sceneId !== scene.id) return false;
  return !fogCovers(scene.fog, token.x, token.y);
}

/** Hex grid: pointy-top hexes `size` wide, rows 1.5 × radius apart, odd rows shifted half a hex. */
export function hexMetrics(size) {
  const radius = size / SQRT3;
  return { radius, width: size, rowHeight: radius * 1.5 };
}

function hexCentre(grid, col, row) {
  const { width, rowHeight } = hexMetrics(grid.size);
  return [grid.offsetX + col * width + (row & 1 ? width / 2 : 0) + width / 2, grid.offsetY + row * rowHeight + hexMetrics(grid.size).radius];
}

function nearestHex(grid, x, y) {
  const { width, rowHeight, radius } = hexMetrics(grid.size);
  const approxRow = Math.round((y - grid.offsetY - radius) / rowHeight);
  let best = null;
  for (let row = approxRow - 1; row <= approxRow + 1; row++) {
    const approxCol = Math.round((x - grid.offsetX - width / 2 - (row & 1 ? width / 2 : 0)) / width);
    for (let col = approxCol - 1; col <= approxCol + 1; col++) {
      const [cx, cy] = hexCentre(grid, col, row);
      const d = (cx - x) ** 2 + (cy - y) ** 2;
      if (!best || d < best.d) best = { col, row, x: cx, y: cy, d };
    }
  }
  return best;
}

/**
 * Hexes in columns (flat top, odd columns shifted half a hex down) are hexes in rows with x and y swapped: the
 * column functions swap, use the row functions, and swap back.
 */
const isColumns = (grid) => grid?.type === 'hexColumns';
const transposed = (grid) => ({ ...grid, type: 'hex', offsetX: grid.offsetY, offsetY: grid.offsetX });

/** Token centres snap to cell centres (a token of even size to cell corners, as in Roll20 and Foundry). */
export function snap(grid, x, y, tokenSize = 1) {
  if (!grid || grid.type === 'none') return [x, y];
  if (isColumns(grid)) return snap(transposed(grid), y, x, tokenSize).reverse();
  if (grid.type === 'hex') {
    const hex = nearestHex(grid, x, y);
    return [hex.x, hex.y];
  }
  const size = grid.size;
  const shift = Math.round(tokenSize) % 2 === 0 ? 0 : size / 2;
  const sx = Math.round((x - grid.offsetX - shift) / size) * size + grid.offsetX + shift;
  const sy = Math.round((y - grid.offsetY - shift) / size) * size + grid.offsetY + shift;
  return [sx, sy];
}

/** Ruler distance in the scene's units: squares count diagonals as one (5e), hexes count steps. */
export function gridDistance(grid, ax, ay, bx, by) {
  if (!grid || grid.type === 'none') {
    const cells = Math.hypot(bx - ax, by - ay) / (grid?.size || 70);
    return cells * (grid?.unitsPerCell ?? 5);
  }
  if (isColumns(grid)) return gridDistance(transposed(grid), ay, ax, by, bx);
  if (grid.type === 'hex') {
    const a = nearestHex(grid, ax, ay);
    const b = nearestHex(grid, bx, by);
    const toCube = ({ col, row }) => {
      const q = col - (row - (row & 1)) / 2;
      return [q, row, -q - row];
    };
    const [aq, ar, as] = toCube(a);
    const [bq, br, bs] = toCube(b);
    const steps = Math.max(Math.abs(aq - bq), Math.abs(ar - br), Math.abs(as - bs));
    return steps * grid.unitsPerCell;
  }
  const cells = Math.max(Math.round(Math.abs(bx - ax) / grid.size), Math.round(Math.abs(by - ay) / grid.size));
  return cells * grid.unitsPerCell;
}

/** Hex outlines as point lists covering the scene, for drawing the grid. */
export function hexOutlines(grid, width, height) {
  if (isColumns(grid)) {
    return hexOutlines(transposed(grid), height, width).map((points) => points.map((_, i) => points[i % 2 === 0 ? i + 1 : i - 1]));
  }
  const { radius, width: w, rowHeight } = hexMetrics(grid.size);
  const outlines = [];
  for (let row = -1; row * rowHeight < height + rowHeight; row++) {
    for (let col = -1; col * w < width + w; col++) {
      const [cx, cy] = hexCentre(grid, col, row);
      const points = [];
      for (let i = 0; i < 6; i++) {
        const angle = (Math.PI / 3) * i - Math.PI / 2;
        points.push(cx + radius * Math.cos(angle), cy + radius * Math.sin(angle));
      }
      outlines.push(points);
    }
  }
  return outlines;
}

/**
 * A brush stroke as fog polygons the server accepts: the stroke is cut into pieces that turn less than a right angle,
 * so each piece's outline (left edge out, right edge back) does not cross itself.
 */
export function strokeToPolygons(points, radius) {
  const path = thin(points, radius / 2);
  if (path.length === 1) return [circlePolygon(path[0], radius)];
  const pieces = [];
  let piece = [path[0]];
  let turned = 0;
  let lastAngle = null;
  for (let i = 1; i < path.length; i++) {
    const angle = Math.atan2(path[i][1] - path[i - 1][1], path[i][0] - path[i - 1][0]);
    if (lastAngle !== null) {
      let delta = angle - lastAngle;
      while (delta > Math.PI) delta -= 2 * Math.PI;
      while (delta < -Math.PI) delta += 2 * Math.PI;
      turned += Math.abs(delta);
    }
    lastAngle = angle;
    piece.push(path[i]);
    if (turned > Math.PI / 2 || piece.length >= 400) {
      pieces.push(piece);
      piece = [path[i - 1], path[i]];
      turned = 0;
    }
  }
  if (piece.length > 1) pieces.push(piece);
  return pieces.map((p) => outline(p, radius));
}

function thin(points, minDistance) {
  const out = [points[0]];
  for (const point of points.slice(1)) {
    const last = out[out.length - 1];
    if (Math.hypot(point[0] - last[0], point[1] - last[1]) >= minDistance) out.push(point);
  }
  return out;
}

function outline(path, radius) {
  const left = [];
  const right = [];
  for (let i = 0; i < path.length; i++) {
    const a = path[Math.max(0, i - 1)];
    const b = path[Math.min(path.length - 1, i + 1)];
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    const nx = (-(b[1] - a[1]) / length) * radius;
    const ny = ((b[0] - a[0]) / length) * radius;
    left.push([round(path[i][0] + nx), round(path[i][1] + ny)]);
    right.push([round(path[i][0] - nx), round(path[i][1] - ny)]);
  }
  return [...left, ...right.reverse()];
}

function circlePolygon([x, y], radius) {
  const points = [];
  for (let i = 0; i < 12; i++) {
    const angle = (Math.PI / 6) * i;
    points.push([round(x + radius * Math.cos(angle)), round(y + radius * Math.sin(angle))]);
  }
  return points;
}

const round = (value) => Math.round(value * 10) / 10;
