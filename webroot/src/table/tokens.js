// One token's look: image or coloured disc with initials, HP bar, my-token ring, and (token-marks.js, once loaded)
// condition chips and the name label. Built only to be drawn into the token's textures (token-sprites.js), then thrown
// away; labels use cached glyphs (bitmap text). The marks are a node of their own: drawn into one texture with the
// body, a wide name pill made the whole token's quad wide, and a software GPU fills every transparent pixel of it.
import { BitmapText, Container, Graphics, Sprite } from 'pixi.js';
import { textureFor } from './assets.js';

/** "Skeleton 10" → S10 (numbered tokens stay apart), "Bob (rogue)" → BR, "Pip" → PI. */
export function initials(name) {
  const words = String(name ?? '').split(/\s+/).map((word) => word.replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean);
  const number = words.length > 1 && /^\d{1,4}$/.test(words.at(-1)) ? words.pop() : '';
  if (!words.length) return number || '?';
  const letters = words.length === 1 ? words[0].slice(0, number ? 1 : 2) : words[0][0] + words[1][0];
  return (letters + number).toUpperCase();
}

/** The fields that change how a token looks (not where it is); a new zoom band is the settled zoom's work. */
export function lookKey(token, context) {
  const marked = context.marks?.hasMarks(token) ? 1 : 0;
  return JSON.stringify([
    token.name, token.image, token.color, token.size, token.rotation, token.hp, token.maxHp, token.conditions,
    token.hidden, token.layer, token.locked, context.mine, context.selected, context.cell, context.textureReady,
    token.nameVisibility, marked,
  ]);
}

/** Returns {body, marks}: two nodes to draw into two textures with the same origin (marks may be null). */
export function buildToken(token, { mine, selected, cell, onTextureReady, marks, zoom }) {
  const root = new Container();
  const radius = (token.size ?? 1) * cell * 0.5;
  const body = new Container();
  body.rotation = ((token.rotation ?? 0) * Math.PI) / 180;
  const texture = textureFor(token.image, onTextureReady);
  const disc = new Graphics().circle(0, 0, radius * 0.92).fill(token.color ?? '#607d8b');
  body.addChild(disc);
  if (texture) {
    const sprite = new Sprite(texture);
    sprite.anchor.set(0.5);
    const scale = (radius * 2 * 0.92) / Math.max(texture.width, texture.height);
    sprite.scale.set(scale);
    body.addChild(sprite);
  } else {
    const text = initials(token.name);
    const label = new BitmapText({
      text,
      // Longer labels (S100) get smaller, so they stay inside the disc.
      style: { fontFamily: 'system-ui, sans-serif', fontSize: Math.max(8, radius * Math.min(0.7, 1.6 / text.length)), fill: '#ffffff', fontWeight: '700' },
    });
    label.anchor.set(0.5);
    body.addChild(label);
    // A notch shows which way the token faces.
    body.addChild(new Graphics().circle(0, -radius * 0.78, radius * 0.1).fill({ color: '#ffffff', alpha: 0.8 }));
  }
  root.addChild(body);
  const ringColour = selected ? '#29b6f6' : mine ? '#ffd54f' : '#1b1b1b';
  root.addChild(new Graphics().circle(0, 0, radius * 0.92).stroke({ width: selected || mine ? 4 : 2, color: ringColour }));
  if (typeof token.hp === 'number' && token.maxHp) root.addChild(hpBar(token, radius));
  if (token.locked) root.addChild(new Graphics().rect(-radius, -radius, radius * 0.3, radius * 0.3).fill('#9e9e9e'));
  return { body: root, marks: buildMarks(token, radius, marks, zoom) };
}

/** The chips and name label, around the token's origin as the body is; null when the token shows none. */
function buildMarks(token, radius, marks, zoom) {
  if (!marks?.hasMarks(token)) {
    marks?.drawn.delete(token.id);
    return null;
  }
  const node = new Container();
  marks.addMarks(node, token, radius, zoom);
  return node;
}

function hpBar(token, radius) {
  const fraction = Math.max(0, Math.min(1, token.hp / token.maxHp));
  const width = radius * 1.8;
  const colour = fraction > 0.5 ? '#43a047' : fraction > 0.25 ? '#fb8c00' : '#e53935';
  return new Graphics()
    .rect(-width / 2, -radius - 10, width, 6)
    .fill('#212121')
    .rect(-width / 2, -radius - 10, width * fraction, 6)
    .fill(colour);
}
