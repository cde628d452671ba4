// Recomputes a roll in this browser from the seed the GM revealed (docs/dice-verification.md), with Web Crypto:
// the seed must hash to the commitment published before the roll, every die in `draws` must come out of
// HMAC-SHA256(seed, "clientSeed:nonce:block") by rejection sampling, and the dice the card shows must be those dice.

const TWO_32 = 2 ** 32;

function bytesOfHex(hex) {
  if (!/^([0-9a-f]{2})+$/i.test(hex ?? '')) return null;
  return Uint8Array.from(hex.match(/../g), (pair) => parseInt(pair, 16));
}

function hexOf(buffer) {
  return [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The faces of dice with these sizes, drawn from the seed for this client seed and nonce. */
export async function draw(seedBytes, clientSeed, nonce, sizes) {
  const key = await crypto.subtle.importKey('raw', seedBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const text = new TextEncoder();
  const faces = [];
  let k = 0;
  let block = null;
  for (const f of sizes) {
    const limit = TWO_32 - (TWO_32 % f);
    for (;;) {
      if (k % 8 === 0) block = new DataView(await crypto.subtle.sign('HMAC', key, text.encode(`${clientSeed}:${nonce}:${k / 8}`)));
      const word = block.getUint32((k % 8) * 4, false);
      k++;
      if (word < limit) {
        faces.push((word % f) + 1);
        break;
      }
    }
  }
  return faces;
}

/** {ok} or {ok: false, reason}: a reason a person can read. */
export async function verifyRoll(roll, seedHex) {
  if (!globalThis.crypto?.subtle) return { ok: false, reason: 'this browser cannot check rolls here (the page needs HTTPS).' };
  const seed = bytesOfHex(seedHex);
  const v = roll.verify ?? {};
  if (!seed || seed.length !== 32) return { ok: false, reason: 'the revealed seed is not 32 bytes of hex.' };
  if (hexOf(await crypto.subtle.digest('SHA-256', seed)) !== String(v.commitment).toLowerCase())
    return { ok: false, reason: 'the revealed seed does not match the commitment published before the roll.' };
  const draws = roll.draws ?? [];
  const faces = await draw(seed, v.clientSeed ?? '', v.nonce, draws.map(([f]) => f));
  const wrong = draws.findIndex(([, face], i) => faces[i] !== face);
  if (wrong >= 0) return { ok: false, reason: `die ${wrong + 1} should be ${faces[wrong]}, the roll says ${draws[wrong][1]}.` };
  if (!sameDice(roll, draws)) return { ok: false, reason: 'the dice on the card are not the dice that were drawn.' };
  return { ok: true };
}

// Terms whose shown values are not the faces drawn (Fate −1..1, coins, compounding sums, penetrating −1, clamps):
// their sizes are left out of the shown-versus-drawn comparison; the draws themselves are still recomputed.
const OWN_SCALE = /d[fc]\b|!!|!p|min|max/i;

/** Every die a plain term shows was drawn, and every die drawn for those sizes is shown (order aside). */
function sameDice(roll, draws) {
  const shown = new Map();
  const count = (key, by) => shown.set(key, (shown.get(key) ?? 0) + by);
  const sizes = new Set();
  const skipped = new Set();
  for (const term of roll.dice ?? []) {
    if (typeof term.faces !== 'number') continue;
    if (OWN_SCALE.test(term.notation ?? '')) {
      skipped.add(term.faces);
      continue;
    }
    sizes.add(term.faces);
    for (const die of term.rolls ?? []) count(`${term.faces}:${die.value}`, 1);
  }
  for (const [f, face] of draws) if (sizes.has(f) && !skipped.has(f)) count(`${f}:${face}`, -1);
  return [...shown.entries()].every(([key, left]) => left === 0 || skipped.has(Number(key.split(':')[0])));
}
