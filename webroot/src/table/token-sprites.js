// Tokens as sprites: each token's look (disc or image, ring, label, HP bar, badges) is drawn once into a slot of a
// shared atlas texture (token-atlas.js), so all tokens draw in one batch; a frame only moves sprites. A token is redrawn
// when its look changes, or when the zoom settled at a level where its texture would look blurry or waste memory.
// Moves by others glide over a few frames instead of jumping.
import { Sprite } from 'pixi.js';
import { createTokenAtlas } from './token-atlas.js';
import { buildToken, lookKey } from './tokens.js';

const TWEEN_MS = 90;
const RESOLUTIONS = [0.5, 1, 2, 4];

/** The texture resolution that draws a token sharp at this zoom (device pixels per world unit, rounded up). */
export function resolutionFor(scale) {
  const wanted = scale * (globalThis.devicePixelRatio || 1);
  return RESOLUTIONS.find((r) => r >= wanted) ?? RESOLUTIONS[RESOLUTIONS.length - 1];
}

export function createTokenSprites({ renderer, layerOf, stats }) {
  const atlas = createTokenAtlas(renderer);
  const entries = new Map(); // tokenId → {sprite, look, key, res, token, tween}
  const tweening = new Set();
  let view = null; // the world rectangle of the last cull

  const touches = (sprite, [x, y]) => {
    if (!view) return true;
    const half = Math.max(sprite.width, sprite.height);
    return x + half >= view.x && x - half <= view.x + view.w && y + half >= view.y && y - half <= view.y + view.h;
  };

  function draw(entry, token, context, res) {
    const { body, marks } = buildToken(token, context);
    const look = atlas.draw(body, res);
    const marksLook = marks ? atlas.draw(marks, res) : null;
    body.destroy({ children: true });
    marks?.destroy({ children: true });
    forget(entry);
    entry.look = look;
    entry.sprite.texture = look.texture;
    entry.sprite.anchor.set(look.anchor[0], look.anchor[1]);
    entry.sprite.scale.set(look.scale);
    showMarks(entry, marksLook);
    entry.sprite.alpha = token.hidden ? 0.45 : token.layer === 'gm' ? 0.65 : 1;
    entry.res = res;
    entry.zoom = context.marks?.hasMarks(token) ? context.zoom : 0;
    entry.marks = context.marks;
    stats.tokenRedraws++;
  }

  /**
   * Brings one token's sprite in line: look (redrawn only if its key changed), layer and position. `glide` tweens a
   * position change (someone else's move); otherwise the sprite jumps (my own drag follows the pointer).
   */
  function update(token, context, at, { glide, res, now }) {
    const key = lookKey(token, context);
    let entry = entries.get(token.id);
    let touched = false;
    if (!entry) {
      entry = { sprite: new Sprite(), look: null, marksLook: null, marksSprite: null, key: null, res: 0, tween: null };
      entries.set(token.id, entry);
      entry.sprite.position.set(at[0], at[1]);
      glide = false;
    }
    entry.token = token;
    entry.context = context;
    if (entry.key !== key) {
      draw(entry, token, context, res);
      entry.key = key;
      touched = true;
    }
    const layer = layerOf(token);
    if (entry.sprite.parent !== layer) layer.addChild(entry.sprite);
    const target = entry.tween ? entry.tween.to : [entry.sprite.x, entry.sprite.y];
    if (target[0] !== at[0] || target[1] !== at[1]) {
      touched = true;
      if (glide) {
        entry.tween = { from: [entry.sprite.x, entry.sprite.y], to: [at[0], at[1]], start: now };
        tweening.add(token.id);
      } else {
        entry.tween = null;
        tweening.delete(token.id);
        entry.sprite.position.set(at[0], at[1]);
      }
    }
    if (!touched) return;
    // A token that moves into view (or out of it) is shown by the same rule as the last cull.
    entry.sprite.visible = touches(entry.sprite, at) || touches(entry.sprite, [entry.sprite.x, entry.sprite.y]);
    stats.tokenUpdates[token.id] = (stats.tokenUpdates[token.id] ?? 0) + 1;
  }

  /**
   * The marks ride as a child sprite of the body: position, glide, alpha and culling follow the body's, and its own
   * quad is only as large as the chips and the name pill. Same atlas page, so still one batch.
   */
  function showMarks(entry, look) {
    entry.marksLook = look;
    if (!look) {
      entry.marksSprite?.destroy();
      entry.marksSprite = null;
      return;
    }
    if (!entry.marksSprite) entry.marksSprite = entry.sprite.addChild(new Sprite());
    entry.marksSprite.texture = look.texture;
    entry.marksSprite.anchor.set(look.anchor[0], look.anchor[1]);
    // Drawn at the body's resolution, so the body's scale is already the right one.
  }

  /** Gives the entry's atlas slots back (the page itself stays). */
  function forget(entry) {
    for (const look of [entry.look, entry.marksLook]) {
      if (!look) continue;
      atlas.release(look.slot);
      look.texture.destroy(false);
    }
    entry.look = null;
    entry.marksLook = null;
  }

  function remove(id) {
    const entry = entries.get(id);
    if (!entry) return;
    forget(entry);
    entry.marks?.drawn.delete(id);
    entry.sprite.destroy({ children: true });
    entries.delete(id);
    tweening.delete(id);
  }

  /** Advances the glides; true while one is still under way. */
  function step(now) {
    for (const id of tweening) {
      const entry = entries.get(id);
      const t = Math.min(1, (now - entry.tween.start) / TWEEN_MS);
      const eased = t * (2 - t);
      const { from, to } = entry.tween;
      entry.sprite.position.set(from[0] + (to[0] - from[0]) * eased, from[1] + (to[1] - from[1]) * eased);
      if (t >= 1) {
        entry.tween = null;
        tweening.delete(id);
      }
    }
    return tweening.size > 0;
  }

  /** Shows only sprites that touch `view` (world coordinates); returns how many are shown. */
  function cull(rect) {
    view = rect;
    let shown = 0;
    for (const entry of entries.values()) {
      const { sprite } = entry;
      const inside = touches(sprite, [sprite.x, sprite.y]) || (entry.tween !== null && touches(sprite, entry.tween.to));
      if (sprite.visible !== inside) sprite.visible = inside;
      if (inside) shown++;
    }
    return shown;
  }

  /**
   * Redraws up to `limit` visible tokens whose texture is too coarse for the settled zoom (or far too fine: memory), or
   * whose chips and name label were drawn for another zoom band; true while some are left for the next frame.
   */
  function sharpen(res, limit, zoom) {
    let redrawn = 0;
    for (const entry of entries.values()) {
      const marksFit = !entry.zoom || entry.zoom === zoom;
      if (!entry.sprite.visible || (entry.res >= res && entry.res <= res * 2 && marksFit)) continue;
      if (redrawn === limit) return true;
      draw(entry, entry.token, { ...entry.context, zoom }, res);
      redrawn++;
    }
    return false;
  }

  return {
    update,
    remove,
    step,
    cull,
    sharpen,
    ids: () => entries.keys(),
    has: (id) => entries.has(id),
    positionOf: (id) => (entries.has(id) ? [entries.get(id).sprite.x, entries.get(id).sprite.y] : null),
    /** The world size of a token's own quad, and of its marks' quad (null without marks): what the GPU fills. */
    quadsOf: (id) => {
      const entry = entries.get(id);
      if (!entry) return null;
      const size = (sprite) => (sprite ? [sprite.width, sprite.height] : null);
      return { body: size(entry.sprite), marks: entry.marksSprite ? [entry.marksSprite.width * entry.sprite.scale.x, entry.marksSprite.height * entry.sprite.scale.y] : null };
    },
    animating: () => tweening.size > 0,
    size: () => entries.size,
    atlasPages: () => atlas.pages(),
  };
}
