// A vision scene's map image as players get it: tiles of 256 scene pixels, only those that overlap a cell the player
// explored or one next to it, with every other cell black (the server refuses and paints the rest; docs/vision.md).
// Part of the vision layer's lazy chunk.
import { Container, ImageSource, Sprite, Texture } from 'pixi.js';
import { currentSession } from '../common/session.js';

const TILE = 256;

export function createSceneTiles({ world, under, room, requestRender }) {
  const tiles = new Container();
  tiles.label = 'map-tiles';
  world.addChildAt(tiles, world.getChildIndex(under) + 1);
  let key = null;
  const asked = new Map(); // "col,row" → cells shown when it was fetched (fetched or on its way)
  const sprites = new Map(); // "col,row" → the sprite drawn

  /**
   * Shows the tiles of `scene` that the explored cells reach (none unless the scene is tiled for this player). A tile
   * comes with the cells not shown painted black, so it is fetched again when more of its cells are shown.
   */
  function show(scene, explored) {
    const next = scene?.tiled ? `${scene.id}:${scene.width}x${scene.height}` : null;
    if (next !== key) {
      tiles.removeChildren().forEach((child) => child.destroy(true));
      asked.clear();
      sprites.clear();
      key = next;
    }
    if (!key || !explored) return;
    const { width, height } = scene;
    for (const [id, shown] of shownCellsPerTile(explored, Math.ceil(width / TILE), Math.ceil(height / TILE))) {
      if (asked.get(id) === shown) continue;
      asked.set(id, shown);
      const [col, row] = id.split(',').map(Number);
      // Refused (a view older than the server's): asked again when more of it is shown; failed: on the next change.
      load(scene, col, row, key).catch((error) => error.refused || asked.delete(id));
    }
  }

  async function load(scene, col, row, forKey) {
    const session = currentSession();
    const response = await fetch(`/api/rooms/${encodeURIComponent(room.id())}/scenes/${encodeURIComponent(scene.id)}/tiles/${col}/${row}`, {
      headers: session ? { authorization: `Bearer ${session.token}` } : {},
    });
    if (!response.ok) throw Object.assign(new Error(`tile ${col},${row}: ${response.status}`), { refused: response.status === 403 });
    const bitmap = await createImageBitmap(await response.blob());
    if (forKey !== key) return bitmap.close();
    const sprite = new Sprite(new Texture({ source: new ImageSource({ resource: bitmap }) }));
    sprite.position.set(col * TILE, row * TILE);
    sprite.width = Math.min(TILE, scene.width - col * TILE);
    sprite.height = Math.min(TILE, scene.height - row * TILE);
    const id = `${col},${row}`;
    sprites.get(id)?.destroy(true);
    sprites.set(id, sprite);
    tiles.addChild(sprite);
    requestRender();
  }

  return { show, count: () => tiles.children.length };
}

/**
 * For each tile that a shown cell overlaps by any area, how many of its cells are shown: the server's rule, a cell
 * explored or next to an explored one.
 */
function shownCellsPerTile({ cell, cols, rows, bits }, tileCols, tileRows) {
  const bytes = Uint8Array.from(atob(bits), (c) => c.charCodeAt(0));
  const explored = (i) => (bytes[i >> 3] & (1 << (i & 7))) !== 0;
  const shown = new Uint8Array(cols * rows);
  for (let i = 0; i < bytes.length * 8 && i < cols * rows; i++) {
    if (!explored(i)) continue;
    const c = i % cols;
    const r = Math.floor(i / cols);
    for (let y = Math.max(0, r - 1); y <= Math.min(rows - 1, r + 1); y++) {
      for (let x = Math.max(0, c - 1); x <= Math.min(cols - 1, c + 1); x++) shown[y * cols + x] = 1;
    }
  }
  const counts = new Map();
  for (let i = 0; i < shown.length; i++) {
    if (!shown[i]) continue;
    const x = (i % cols) * cell;
    const y = Math.floor(i / cols) * cell;
    for (let c = Math.floor(x / TILE); c <= Math.min(tileCols - 1, Math.ceil((x + cell) / TILE) - 1); c++) {
      for (let r = Math.floor(y / TILE); r <= Math.min(tileRows - 1, Math.ceil((y + cell) / TILE) - 1); r++) {
        const id = `${c},${r}`;
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
    }
  }
  return counts;
}
