// A vision scene's map image as players get it: tiles of 256 scene pixels, fetched once each, only those that overlap a
// cell the player explored (the server refuses the others; docs/vision.md). Part of the vision layer's lazy chunk.
import { Container, ImageSource, Sprite, Texture } from 'pixi.js';
import { currentSession } from '../common/session.js';

const TILE = 256;

export function createSceneTiles({ world, under, room, requestRender }) {
  const tiles = new Container();
  tiles.label = 'map-tiles';
  world.addChildAt(tiles, world.getChildIndex(under) + 1);
  let key = null;
  const asked = new Set(); // "col,row" of tiles fetched or on their way

  /** Shows the tiles of `scene` that the explored cells reach (none unless the scene is tiled for this player). */
  function show(scene, explored) {
    const next = scene?.tiled ? `${scene.id}:${scene.width}x${scene.height}` : null;
    if (next !== key) {
      tiles.removeChildren().forEach((child) => child.destroy(true));
      asked.clear();
      key = next;
    }
    if (!key || !explored) return;
    const { width, height } = scene;
    for (const [col, row] of tilesOf(explored, Math.ceil(width / TILE), Math.ceil(height / TILE))) {
      const id = `${col},${row}`;
      if (asked.has(id)) continue;
      asked.add(id);
      load(scene, col, row, key).catch(() => asked.delete(id)); // refused or failed: asked again on the next change
    }
  }

  async function load(scene, col, row, forKey) {
    const session = currentSession();
    const response = await fetch(`/api/rooms/${encodeURIComponent(room.id())}/scenes/${encodeURIComponent(scene.id)}/tiles/${col}/${row}`, {
      headers: session ? { authorization: `Bearer ${session.token}` } : {},
    });
    if (!response.ok) throw new Error(`tile ${col},${row}: ${response.status}`);
    const bitmap = await createImageBitmap(await response.blob());
    if (forKey !== key) return bitmap.close();
    const sprite = new Sprite(new Texture({ source: new ImageSource({ resource: bitmap }) }));
    sprite.position.set(col * TILE, row * TILE);
    sprite.width = Math.min(TILE, scene.width - col * TILE);
    sprite.height = Math.min(TILE, scene.height - row * TILE);
    tiles.addChild(sprite);
    requestRender();
  }

  return { show, count: () => tiles.children.length };
}

/** Each tile that overlaps an explored cell by any area: the server's rule. */
function tilesOf({ cell, cols, rows, bits }, tileCols, tileRows) {
  const found = new Set();
  const bytes = Uint8Array.from(atob(bits), (c) => c.charCodeAt(0));
  for (let i = 0; i < bytes.length * 8 && i < cols * rows; i++) {
    if (!(bytes[i >> 3] & (1 << (i & 7)))) continue;
    const x = (i % cols) * cell;
    const y = Math.floor(i / cols) * cell;
    for (let c = Math.floor(x / TILE); c <= Math.min(tileCols - 1, Math.ceil((x + cell) / TILE) - 1); c++) {
      for (let r = Math.floor(y / TILE); r <= Math.min(tileRows - 1, Math.ceil((y + cell) / TILE) - 1); r++) found.add(`${c},${r}`);
    }
  }
  return [...found].map((id) => id.split(',').map(Number));
}
