// The room as this user may see it, kept in step with the server: events are applied strictly in seq order, early
// ones wait in a buffer, a gap or a reconnect asks for `sync`. Commands that could not reach the server are kept
// (with their command id, so a retry is applied once) and sent again when the connection is back.
import { readableCode } from './bus.js';
import { IN } from './addresses.js';

const COLLECTIONS = ['scenes', 'tokens', 'drawings', 'notes', 'walls', 'lights'];
const ROOM_WIDE = ['activeScene', 'initiative', 'settings', 'dice', 'vision', 'explored'];
const RETRIABLE = new Set(['OFFLINE', 'TIMEOUT', 'STORE_UNAVAILABLE']);
// The server's database is restarting: nothing was stored, so the same command (same cid) is sent again this often.
const STORE_RETRY_MS = 5_000;

let cidCounter = 0;
export function newCid() {
  cidCounter++;
  const random = crypto.getRandomValues(new Uint32Array(2));
  return `c${Date.now().toString(36)}${random[0].toString(36)}${random[1].toString(36)}${cidCounter}`;
}

/** What the server's RoomViews.applyPatch does, on the browser's copy of the view. */
export function applyPatch(view, patch) {
  for (const collection of COLLECTIONS) {
    const entries = (view[collection] ??= {});
    for (const id of patch.remove?.[collection] ?? []) delete entries[id];
    for (const entry of patch.upsert?.[collection] ?? []) entries[entry.id] = entry;
  }
  for (const key of ROOM_WIDE) if (key in patch) view[key] = patch[key];
}

export function createRoom({ roomId, userId, bus, onChange, onChat, notify, onPause }) {
  let view = null;
  let seq = 0;
  let role = null;
  let syncing = null;
  let joinedDice = null; // {period, commitment}: the current period's commitment as the join told it
  const revealedSeeds = new Map(); // period → revealed seed seen since the page opened
  const early = new Map();
  const overlays = new Map(); // tokenId → {x, y, settleSeq?}: my moves the server has not confirmed yet
  const outbox = []; // commands to re-send after a reconnect: {address, body, resolve, reject}
  let storeRetry = null; // timer while the server's database is away and the table is paused
  let secrets = {}; // tokenId → {hp, maxHp}: my own tokens' hit points that only owners see
  let handouts = {}; // noteId → note: handouts the GM showed to me by name (never on the room's stream)

  const changed = (what) => onChange(what);

  /** First connection: the whole view. Later connections: only what was missed. */
  async function connected() {
    if (!view) {
      const joined = await bus.request(IN.ROOM, { room: roomId, op: 'join' });
      role = joined.role;
      view = joined.view;
      secrets = joined.secrets ?? {};
      handouts = joined.handouts ?? {};
      seq = joined.seq;
      joinedDice = joined.dice ?? null;
      rememberRevealed();
      changed({ all: true });
      drainEarly();
    } else {
      await sync();
    }
    flushOutbox();
  }

  function rememberRevealed() {
    const revealed = view?.dice?.revealed;
    if (revealed?.seed) revealedSeeds.set(revealed.period, revealed);
  }

  /** The room's dice: dialect, current period and its commitment, and the seeds revealed so far. */
  function dice() {
    const current = view?.dice ?? {};
    const commitment = current.commitment ?? (joinedDice && joinedDice.period === current.period ? joinedDice.commitment : null);
    return { dialect: view?.settings?.dialect ?? 'roll20', period: current.period ?? 1, commitment, revealed: current.revealed ?? null, revealedFor: (period) => revealedSeeds.get(period) ?? null };
  }

  /** After a role change: the whole view again, in the new role's form (a sync would keep the old one's). */
  async function rejoin() {
    const joined = await bus.request(IN.ROOM, { room: roomId, op: 'join' });
    role = joined.role;
    view = joined.view;
    handouts = joined.handouts ?? {};
    seq = joined.seq;
    joinedDice = joined.dice ?? null;
    rememberRevealed();
    early.clear();
    changed({ all: true });
    flushOutbox();
  }

  function sync() {
    syncing ??= bus
      .request(IN.ROOM, { room: roomId, op: 'sync', since: seq })
      .then((reply) => {
        if (reply.reset) {
          view = reply.view;
          secrets = reply.secrets ?? {};
          handouts = reply.handouts ?? {};
          seq = reply.seq;
          joinedDice = reply.dice ?? joinedDice;
          rememberRevealed();
          // Live events newer than the snapshot stay buffered: drainEarly applies them and drops the older ones.
          changed({ all: true });
        } else {
          for (const event of reply.events ?? []) accept(event);
          if (reply.secrets) receiveSecrets(reply.secrets, reply.handouts);
        }
        drainEarly();
      })
      .catch((error) => notify(`Could not catch up with the table: ${error.message}`, 'error'))
      .finally(() => {
        syncing = null;
      });
    return syncing;
  }

  /** An event from the room stream of my role. */
  function receive(event) {
    if (typeof event?.seq !== 'number') return;
    // With vision on, my form of this event comes on my own stream (what my tokens see), not the room's.
    if (!event.mine && event.personal?.includes(userId)) return;
    if (!view || syncing) {
      if (event.seq > seq) early.set(event.seq, event);
      return;
    }
    if (event.seq <= seq) return;
    if (event.seq > seq + 1) {
      early.set(event.seq, event);
      sync();
      return;
    }
    accept(event);
    drainEarly();
  }

  function drainEarly() {
    for (const key of [...early.keys()]) if (key <= seq) early.delete(key);
    while (early.has(seq + 1)) {
      const next = early.get(seq + 1);
      early.delete(seq + 1);
      accept(next);
    }
    if (early.size > 0 && !syncing) sync();
  }

  function accept(event) {
    if (event.seq !== seq + 1) {
      if (event.seq > seq + 1) early.set(event.seq, event);
      return;
    }
    seq = event.seq;
    if (event.patch) applyPatch(view, event.patch);
    if (event.patch?.dice) rememberRevealed();
    if (event.type?.startsWith('chat.') || event.type === 'redacted') onChat(event);
    settleOverlays();
    if (event.patch) changed({ patch: event.patch, event });
  }

  function settleOverlays() {
    for (const [tokenId, overlay] of overlays) {
      if (overlay.settleSeq && overlay.settleSeq <= seq) overlays.delete(tokenId);
    }
  }

  /** Sends a durable command; kept and retried with the same cid while the connection is down. */
  function command(address, body) {
    const full = { room: roomId, cid: newCid(), ...body };
    return new Promise((resolve, reject) => attempt({ address, body: full, resolve, reject }));
  }

  function attempt(item) {
    bus.request(item.address, item.body).then(
      (reply) => {
        resumed();
        item.resolve(reply);
      },
      (error) => {
        if (!RETRIABLE.has(error.code)) return item.reject(error);
        outbox.push(item);
        if (error.code === 'STORE_UNAVAILABLE') paused();
      },
    );
  }

  /** The database is away: say so once, keep what was done, and send it again until it is stored. */
  function paused() {
    if (storeRetry) return; // a retry is already scheduled
    if (storeRetry === null) {
      // First refusal of this outage: said once, and shown until it ends (a toast alone fades while still paused).
      notify(readableCode('STORE_UNAVAILABLE'));
      onPause?.(true);
    }
    storeRetry = setTimeout(() => {
      storeRetry = 0; // retrying: a new refusal schedules the next try without a second notice
      flushOutbox();
    }, STORE_RETRY_MS);
  }

  function resumed() {
    // A command that needed no database can succeed mid-outage: the table is back only once nothing waits to be stored
    // (clearing the retry then left the queued moves unsent).
    if (storeRetry === null || outbox.length) return;
    clearTimeout(storeRetry);
    storeRetry = null;
    onPause?.(false);
    notify('The table is back: what you did while it was paused has been stored.');
  }

  function flushOutbox() {
    for (const item of outbox.splice(0)) attempt(item);
  }

  /** Optimistic moves: shown at once, settled by the event of the reply's seq, undone on refusal. Several go as one. */
  async function moveTokens(moves) {
    const ids = moves.map((move) => move.tokenId);
    const mine = (move) => {
      const overlay = overlays.get(move.tokenId);
      return overlay && overlay.x === move.x && overlay.y === move.y ? overlay : null;
    };
    moves.forEach(({ tokenId, x, y }) => overlays.set(tokenId, { x, y }));
    changed({ tokens: ids });
    try {
      const reply = await command(IN.MAP, moves.length === 1 ? { op: 'token.move', ...moves[0] } : { op: 'tokens.move', moves });
      moves.forEach((move) => mine(move) && (mine(move).settleSeq = reply.seq));
      settleOverlays();
    } catch (error) {
      moves.forEach((move) => mine(move) && overlays.delete(move.tokenId));
      notify(`Move refused: ${error.message || readableCode(error.code)}`, 'error');
    }
    changed({ tokens: ids });
  }

  function tokenAt(id) {
    const stored = view?.tokens?.[id];
    if (!stored) return null;
    const token = secrets[id] ? { ...stored, ...secrets[id] } : stored;
    const overlay = overlays.get(id);
    return overlay ? { ...token, x: overlay.x, y: overlay.y } : token;
  }

  /** The whole set of my owner-only hit points and handouts shown to me, sent on my own stream whenever it changes. */
  function receiveSecrets(tokens, notes) {
    secrets = tokens ?? {};
    handouts = notes ?? handouts;
    changed({ secrets: true });
  }

  return {
    connected,
    rejoin,
    receive,
    command,
    moveToken: (tokenId, x, y) => moveTokens([{ tokenId, x, y }]),
    moveTokens,
    tokenAt,
    id: () => roomId,
    receiveSecrets,
    dice,
    view: () => view,
    notes: () => ({ ...view?.notes, ...handouts }),
    seq: () => seq,
    role: () => role,
    isGm: () => role === 'GM',
    pendingMoves: () => overlays.size,
    queued: () => outbox.length,
    activeScene: () => (view?.activeScene ? view.scenes?.[view.activeScene] : null),
    tokens: () => Object.keys(view?.tokens ?? {}).map(tokenAt),
  };
}
