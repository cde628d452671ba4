// What a token shows besides its body, drawn into its cached look (tokens.js): its conditions as labelled chips, and
// its name under it when the name is shown always. Both keep about one size on screen: the look is drawn for the
// settled zoom's band (map.js redraws only tokens with marks when the zoom leaves it), so they stay readable zoomed
// far out or in, and a frame still only moves sprites. Loaded with the map tools, not with the page's first load.
import { BitmapText, Container, Graphics } from 'pixi.js';
import { CONDITIONS } from './editors/conditions.js';

const CHIP_PX = 15; // a chip's height on screen
const CHIP_FONT_PX = 10;
const NAME_PX = 13;
const MAX_CHIPS = 4; // more show as "+N"; the selection card and the hover card name them all
const NAME_CHARS = 24;
const FONT = 'system-ui, sans-serif';

/** Three letters each, distinct among the usual conditions (PAR/PET, INC/INV, CHR/CON). */
const SHORT = {
  blinded: 'BLD', charmed: 'CHR', deafened: 'DEF', frightened: 'FRT', grappled: 'GRP', incapacitated: 'INC',
  invisible: 'INV', paralyzed: 'PAR', petrified: 'PET', poisoned: 'POI', prone: 'PRN', restrained: 'RST',
  stunned: 'STN', unconscious: 'UNC', exhausted: 'EXH', concentrating: 'CON',
};
const COLOURS = ['#c62828', '#6a1b9a', '#1565c0', '#2e7d32', '#ef6c00', '#4e342e', '#00838f', '#ad1457'];
const LABELS = new Map(CONDITIONS.map((condition) => [condition.id, condition.label]));

/** "prone" → PRN; a custom "Hasted" → HAS. */
export function shortName(condition) {
  const known = SHORT[String(condition).toLowerCase()];
  if (known) return known;
  const letters = String(condition).replace(/[^\p{L}\p{N}]/gu, '');
  return (letters.slice(0, 3) || '?').toUpperCase();
}

/** The full name a person reads: "prone" → Prone, custom text as typed. */
export const fullName = (condition) => LABELS.get(condition) ?? condition;

/** The usual conditions by their place in the list (neighbours differ); custom ones by a hash of their text. */
function colourOf(condition) {
  const known = Object.keys(SHORT).indexOf(String(condition).toLowerCase());
  if (known >= 0) return COLOURS[known % COLOURS.length];
  let hash = 0;
  for (const char of String(condition).toLowerCase()) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return COLOURS[Math.abs(hash) % COLOURS.length];
}

/** Whether the token draws marks at all: only those looks depend on the zoom. */
export const hasMarks = (token) => (token.conditions ?? []).length > 0 || nameShown(token);

const nameShown = (token) => token.nameVisibility === 'always' && !!token.name;

/** What the last look of each token drew (read by the page's test hook): chip texts, name, chip height. */
export const drawn = new Map();

/** Adds the chips and the name label to a token's look; `zoom` is the band the look is drawn for. */
export function addMarks(root, token, radius, zoom) {
  const unit = 1 / zoom; // world units per screen pixel
  const conditions = token.conditions ?? [];
  let bottom = radius;
  let shown = [];
  if (conditions.length) {
    shown = conditions.length > MAX_CHIPS ? [...conditions.slice(0, MAX_CHIPS - 1).map(shortName), `+${conditions.length - MAX_CHIPS + 1}`] : conditions.map(shortName);
    const colours = conditions.slice(0, shown.length).map(colourOf);
    const chips = shown.map((text, index) => chip(text, colours[index] && !text.startsWith('+') ? colours[index] : '#424242', unit));
    const gap = 2 * unit;
    const width = chips.reduce((sum, node) => sum + node.width, 0) + gap * (chips.length - 1);
    const top = radius - CHIP_PX * unit * 0.6;
    let x = -width / 2;
    for (const node of chips) {
      node.position.set(x, top);
      x += node.width + gap;
      root.addChild(node);
    }
    bottom = top + CHIP_PX * unit;
  }
  const name = nameShown(token) ? nameLabel(token.name, bottom + 2 * unit, unit) : null;
  if (name) root.addChild(name);
  drawn.set(token.id, { chips: shown, name: name?.label ?? null, chipHeight: CHIP_PX * unit });
}

function chip(text, colour, unit) {
  const node = new Container();
  const label = new BitmapText({ text, style: { fontFamily: FONT, fontSize: CHIP_FONT_PX * unit, fill: '#ffffff', fontWeight: '700' } });
  const padding = 4 * unit;
  const height = CHIP_PX * unit;
  const width = label.width + padding * 2;
  node.addChild(new Graphics().roundRect(0, 0, width, height, height / 2).fill(colour).stroke({ width: unit, color: '#ffffff', alpha: 0.85 }));
  label.position.set(padding, (height - label.height) / 2);
  node.addChild(label);
  return node;
}

function nameLabel(name, top, unit) {
  const text = name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS - 1)}…` : name;
  const node = new Container();
  const label = new BitmapText({ text, style: { fontFamily: FONT, fontSize: NAME_PX * unit, fill: '#ffffff' } });
  const padding = 4 * unit;
  const width = label.width + padding * 2;
  const height = label.height + 2 * unit;
  node.addChild(new Graphics().roundRect(-width / 2, 0, width, height, 3 * unit).fill({ color: '#000000', alpha: 0.7 }));
  label.position.set(-label.width / 2, unit);
  node.addChild(label);
  node.position.set(0, top);
  node.label = text;
  return node;
}
