// One token's look: image or coloured disc with initials, HP bar, condition markers, my-token ring. Built only to be
// drawn into the token's texture (token-sprites.js), then thrown away; the label uses cached glyphs (bitmap text).
import { BitmapText, Container, Graphics, Sprite } from 'pixi.js';
import { textureFor } from './assets.js';

const CONDITION_COLOURS = ['#e53935', '#8e24aa', '#1e88e5', '#43a047', '#fb8c00', '#6d4c41', '#00acc1', '#fdd835'];

/** "Skeleton 10" → S10 (numbered tokens stay apart), "Bob (rogue)" → BR, "Pip" → PI. */
export function initials(name) {
  const words = String(name ?? '').split(/\s+/).map((word) => word.replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean);
  const number = words.length > 1 && /^\d{1,4}$/.test(words.at(-1)) ? words.pop() : '';
  if (!words.length) return number || '?';
  const letters = words.length === 1 ? words[0].slice(0, number ? 1 : 2) : words[0][0] + words[1][0];
  return (letters + number).toUpperCase();
}

function colourOf(text) {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return CONDITION_COLOURS[Math.abs(hash) % CONDITION_COLOURS.length];
}

/** The fields that change how a token looks (not where it is). */
export function lookKey(token, context) {
  return JSON.stringify([
    token.name, token.image, token.color, token.size, token.rotation, token.hp, token.maxHp, token.conditions,
    token.hidden, token.layer, token.locked, context.mine, context.selected, context.cell, context.textureReady,
  ]);
}

export function buildToken(token, { mine, selected, cell, onTextureReady }) {
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
  (token.conditions ?? []).slice(0, 6).forEach((condition, index) => {
    const angle = Math.PI * 0.25 + index * 0.42;
    root.addChild(
      new Graphics()
        .circle(Math.cos(angle) * radius, Math.sin(angle) * radius, Math.max(4, radius * 0.16))
        .fill(colourOf(condition))
        .stroke({ width: 1.5, color: '#ffffff' }),
    );
  });
  if (token.locked) root.addChild(new Graphics().rect(-radius, -radius, radius * 0.3, radius * 0.3).fill('#9e9e9e'));
  return root;
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
