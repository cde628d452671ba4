// The table's editors, loaded on first use (like the dialogs): the token editor now, the scene editor beside it.
import { api } from '../../common/api.js';
import { IN } from '../addresses.js';

const cache = new Map();

/** The room's members (GM only: the route is the GM's) and images, fetched once per page and on demand again. */
export async function roomList(roomId, what) {
  const path = `/api/rooms/${encodeURIComponent(roomId)}/${what}`;
  try {
    const answer = await api.get(path);
    cache.set(path, answer[what] ?? []);
  } catch {
    // An editor still opens: without members the owners list says so, without images only colours are offered.
  }
  return cache.get(path) ?? [];
}

async function mountDialog(loader, props) {
  const [{ mount, unmount }, { default: Component }] = await Promise.all([import('svelte'), loader()]);
  return new Promise((resolve) => {
    const previous = document.activeElement;
    let instance;
    const close = () => {
      if (!instance) return;
      unmount(instance);
      instance = null;
      previous?.focus?.();
      resolve();
    };
    instance = mount(Component, { target: document.body, props: { ...props, close } });
  });
}

/** The sheets this person may link a token to (a player's own; a GM's every sheet), or none when they fail to load. */
async function sheetsOf(room) {
  if (!room) return [];
  try {
    return (await room.command(IN.DICE, { op: 'character.list' })).characters ?? [];
  } catch {
    return [];
  }
}

/**
 * Opens the token editor; `save(changes)` sends them and rejects with the server's refusal. "Open its sheet" asks the
 * Sheets panel (which listens for `vtt:open-sheet`) to show the linked sheet.
 */
export async function openTokenEditor({ roomId, room, token, gm, save }) {
  const [members, assets, sheets] = await Promise.all([
    gm ? roomList(roomId, 'members') : [],
    gm ? roomList(roomId, 'assets') : [],
    sheetsOf(room),
  ]);
  return mountDialog(() => import('./TokenEditor.svelte'), {
    token,
    gm,
    members: members.filter((member) => !member.banned),
    assets,
    sheets,
    openSheet: (id) => document.dispatchEvent(new CustomEvent('vtt:open-sheet', { detail: id })),
    save,
  });
}

/** An image's own size, in pixels (read from its bytes: the page's policy forbids fetching blob: URLs). */
async function naturalSize(assetId) {
  const { imageBlob } = await import('../assets.js');
  const bitmap = await createImageBitmap(await imageBlob(assetId));
  const size = { width: bitmap.width, height: bitmap.height };
  bitmap.close();
  return size;
}

/** Opens the scene editor: a new scene when `scene` is null. `save(body)` and `remove()` talk to the server. */
export async function openSceneEditor({ roomId, scene = null, calibrate = null, save, remove }) {
  const assets = await roomList(roomId, 'assets');
  return mountDialog(() => import('./SceneEditor.svelte'), { scene, assets, naturalSize, calibrate, save, remove });
}
