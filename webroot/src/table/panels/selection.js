// The selected token's card (over the map's corner) and its right-click menu: owners change HP and open the editor;
// the GM also hides, resizes, rotates, locks, moves between layers and removes. Keyboard: [ ] size, , . rotate,
// H hide, E edit (Delete, arrows and copy / paste: map-tools.js).
import { el } from '../ui.js';
import { askConfirm } from '../../common/ui/ask.js';
import { openMenu } from '../../common/ui/menu.js';
import { IN } from '../addresses.js';

export function createSelection({ host, roomId, room, me, notify }) {
  const card = el('div', { class: 'selection', testid: 'selection' });
  host.append(card);
  let tokenId = null;
  let memberNames = new Map(); // userId → display name, for the GM (the members route is the GM's)

  const command = (id, body) => room.command(IN.MAP, { tokenId: id, ...body });
  const update = (body) => command(tokenId, body).catch((error) => notify(error.message, 'error'));
  const mayEdit = (token) => room.isGm() || (token.owners ?? []).includes(me.id);

  function actionsFor(token) {
    const gm = room.isGm();
    const list = [];
    if (mayEdit(token)) {
      list.push(['Edit…', 'edit', () => edit(token)]);
      if (typeof token.hp === 'number') {
        list.push(['HP −1', 'hp-down', () => update({ op: 'token.update', hp: token.hp - 1 })]);
        list.push(['HP +1', 'hp-up', () => update({ op: 'token.update', hp: token.hp + 1 })]);
      }
    }
    if (gm) {
      list.push([token.hidden ? 'Reveal to players' : 'Hide from players', 'toggle-hidden', () => update({ op: token.hidden ? 'token.reveal' : 'token.hide' })]);
      list.push(['Bigger', 'size-up', () => update({ op: 'token.update', size: Math.min(20, (token.size ?? 1) + 1) })]);
      list.push(['Smaller', 'size-down', () => update({ op: 'token.update', size: Math.max(0.25, (token.size ?? 1) >= 2 ? token.size - 1 : token.size / 2) })]);
      list.push(['Rotate 45°', 'rotate', () => update({ op: 'token.update', rotation: normalise((token.rotation ?? 0) + 45) })]);
      list.push([token.locked ? 'Unlock' : 'Lock', 'lock', () => update({ op: 'token.update', locked: !token.locked })]);
      list.push([token.layer === 'gm' ? 'To token layer' : 'To GM layer', 'layer', () => update({ op: 'token.update', layer: token.layer === 'gm' ? 'tokens' : 'gm' })]);
      list.push(['Remove…', 'remove', () => removeToken(token)]);
    }
    return list;
  }

  async function edit(token) {
    const { openTokenEditor } = await import('../editors/editors.js');
    await openTokenEditor({
      roomId,
      room,
      token,
      gm: room.isGm(),
      save: (changes) => command(token.id, { op: 'token.update', ...changes }),
    });
    if (room.isGm()) loadMemberNames();
  }

  async function loadMemberNames() {
    if (!room.isGm()) return;
    const { roomList } = await import('../editors/editors.js');
    memberNames = new Map((await roomList(roomId, 'members')).map((member) => [member.userId, member.displayName]));
    render();
  }

  async function removeToken(token) {
    const sure = await askConfirm({
      title: `Remove ${token.name}?`,
      message: 'The token leaves the map for everyone.',
      confirmLabel: 'Remove',
      danger: true,
    });
    if (sure) update({ op: 'token.remove' });
  }

  /** Who owns the token, by name: never a raw id. */
  function ownersText(token) {
    const owners = token.owners ?? [];
    if (!owners.length) return room.isGm() ? 'Owned by: nobody (GM only)' : null;
    if (!room.isGm()) return owners.includes(me.id) ? 'Yours' : null;
    const names = owners.map((id) => (id === me.id ? 'you' : memberNames.get(id) ?? 'a former member'));
    return `Owned by: ${names.join(', ')}`;
  }

  function render() {
    const token = tokenId ? room.tokenAt(tokenId) : null;
    host.hidden = !token;
    if (!token) {
      tokenId = null;
      card.replaceChildren();
      return;
    }
    const facts = [
      typeof token.hp === 'number' ? `HP ${token.hp}${token.maxHp ? ` / ${token.maxHp}` : ''}` : null,
      (token.conditions ?? []).length ? `Conditions: ${token.conditions.map((c) => c[0].toUpperCase() + c.slice(1)).join(', ')}` : null,
      ownersText(token),
      token.hidden ? 'Hidden from players' : null,
      token.locked ? 'Locked' : null,
    ].filter(Boolean);
    const quick = actionsFor(token).filter(([, id]) => ['edit', 'hp-down', 'hp-up'].includes(id));
    const more = el('button', { type: 'button', testid: 'token-more', 'aria-haspopup': 'menu' }, 'More…');
    more.addEventListener('click', () => {
      const box = more.getBoundingClientRect();
      menu(token, box.left, box.bottom + 4);
    });
    card.replaceChildren(
      el('h3', { testid: 'selection-name' }, token.name || 'Unnamed token'),
      ...facts.map((fact) => el('p', { testid: 'selection-fact' }, fact)),
      el('div', { class: 'selection-actions' }, ...quick.map(([label, id, run]) => el('button', { type: 'button', testid: `token-${id}`, onclick: run }, label)), room.isGm() ? more : ''),
    );
  }

  /** A right-click menu at the pointer, with the same actions. */
  function menu(token, x, y) {
    openMenu({ x, y, title: token.name, items: actionsFor(token).map(([label, testid, run]) => ({ label, testid, run, danger: testid === 'remove' })) });
  }

  document.addEventListener('keydown', (event) => {
    if (!tokenId || event.target.closest('input, textarea, select, [role=dialog]')) return;
    const token = room.tokenAt(tokenId);
    if (!token) return;
    if (event.key === 'e' && mayEdit(token)) {
      event.preventDefault();
      edit(token);
      return;
    }
    if (!room.isGm()) return;
    const keys = {
      '[': () => update({ op: 'token.update', size: Math.max(0.25, (token.size ?? 1) - 0.5) }),
      ']': () => update({ op: 'token.update', size: Math.min(20, (token.size ?? 1) + 0.5) }),
      ',': () => update({ op: 'token.update', rotation: normalise((token.rotation ?? 0) - 15) }),
      '.': () => update({ op: 'token.update', rotation: normalise((token.rotation ?? 0) + 15) }),
      h: () => update({ op: token.hidden ? 'token.reveal' : 'token.hide' }),
    };
    if (keys[event.key]) {
      event.preventDefault();
      keys[event.key]();
    }
  });

  loadMemberNames();
  return {
    select(id) {
      tokenId = id;
      render();
    },
    render,
    menu,
    selected: () => (tokenId ? room.tokenAt(tokenId) : null),
  };
}

/** Rotations stay within the server's −360…360. */
function normalise(degrees) {
  return ((degrees % 360) + 360) % 360;
}
