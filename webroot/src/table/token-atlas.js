// Token looks share a few large render textures (atlas pages): all token sprites of a page draw in one batch, where a
// texture per token would split 1,000 tokens into dozens of draw calls. Slots are packed on shelves; a freed slot is
// reused by the next look of the same size (tokens mostly come in a few sizes).
import { Container, Graphics, Matrix, Rectangle, RenderTexture, Texture } from 'pixi.js';

const PAGE_PIXELS = 2048;
const SLOT_STEP = 8; // slot sizes round up to this, so freed slots fit the next look of a similar token
const PADDING = 1; // a transparent pixel around each look: linear filtering never reads a neighbour

export function createTokenAtlas(renderer) {
  const pages = [];

  function newPage() {
    const texture = RenderTexture.create({ width: PAGE_PIXELS, height: PAGE_PIXELS });
    renderer.render({ container: new Container(), target: texture, clear: true, clearColor: [0, 0, 0, 0] });
    const page = { texture, shelves: [], nextY: 0, free: new Map() };
    pages.push(page);
    return page;
  }

  function allocate(w, h) {
    const key = `${w}x${h}`;
    for (const page of pages) {
      const reused = page.free.get(key)?.pop();
      if (reused) return { page, rect: reused, key, reused: true };
    }
    for (const page of pages) {
      const shelf = page.shelves.find((s) => s.h >= h && s.h <= h + SLOT_STEP * 2 && s.x + w <= PAGE_PIXELS);
      if (shelf) return take(page, shelf, w, h, key);
      if (page.nextY + h <= PAGE_PIXELS) {
        const fresh = { y: page.nextY, h, x: 0 };
        page.shelves.push(fresh);
        page.nextY += h;
        return take(page, fresh, w, h, key);
      }
    }
    const page = newPage();
    if (h > PAGE_PIXELS || w > PAGE_PIXELS) throw new Error(`token look of ${w}×${h} px does not fit an atlas page`);
    const shelf = { y: 0, h, x: 0 };
    page.shelves.push(shelf);
    page.nextY = h;
    return take(page, shelf, w, h, key);
  }

  function take(page, shelf, w, h, key) {
    const rect = new Rectangle(shelf.x, shelf.y, w, h);
    shelf.x += w;
    return { page, rect, key };
  }

  /**
   * Draws `node` at `resolution` into a slot and returns {texture, slot, anchor, scale}: a sprite with that texture,
   * anchor and scale shows the node at its own size with its origin at the sprite's position.
   */
  function draw(node, resolution) {
    const bounds = node.getLocalBounds();
    const pw = Math.max(1, Math.ceil(bounds.width * resolution));
    const ph = Math.max(1, Math.ceil(bounds.height * resolution));
    const w = Math.ceil((pw + PADDING * 2) / SLOT_STEP) * SLOT_STEP;
    const h = Math.ceil((ph + PADDING * 2) / SLOT_STEP) * SLOT_STEP;
    const slot = allocate(w, h);
    const { rect, page } = slot;
    // Whatever an earlier look left in a reused slot is erased first (fresh slots are still clear). The blend mode of
    // the root of a render is not applied: the eraser goes inside a container.
    if (slot.reused) {
      const eraser = new Container();
      const shape = eraser.addChild(new Graphics().rect(rect.x, rect.y, rect.width, rect.height).fill('#000000'));
      shape.blendMode = 'erase';
      renderer.render({ container: eraser, target: page.texture, clear: false });
      eraser.destroy({ children: true });
    }
    const transform = new Matrix()
      .scale(resolution, resolution)
      .translate(rect.x + PADDING - bounds.x * resolution, rect.y + PADDING - bounds.y * resolution);
    renderer.render({ container: node, target: page.texture, clear: false, transform });
    const frame = new Rectangle(rect.x + PADDING, rect.y + PADDING, pw, ph);
    return {
      texture: new Texture({ source: page.texture.source, frame }),
      slot,
      anchor: [(-bounds.x * resolution) / pw, (-bounds.y * resolution) / ph],
      scale: 1 / resolution,
    };
  }

  function release(slot) {
    const list = slot.page.free.get(slot.key) ?? [];
    list.push(slot.rect);
    slot.page.free.set(slot.key, list);
  }

  return { draw, release, pages: () => pages.length };
}
