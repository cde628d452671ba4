// The selected token's card and its actions, also used as the right-click menu: owners change HP and conditions; the
// GM also resizes, rotates, locks, hides/reveals and removes. Keyboard: [ ] size, , . rotate, H hide, Delete remove.
import { el } from '../ui.js';
import { api } from '../../common/api.js';
import { askConfirm, askFields, askText } from '../../common/ui/dialogs.js';

export function createSelection({ host, roomId, room, me, notify }) {
  const card = el('div', { class: 'selection', testid: 'selection' });
  host.append(card);
  let tokenId = null;

  const update = (body) => room.command('vtt.in.map', { tokenId, ...body }).catch((error) => notify(error.message, 'error'));

  function actionsFor(token) {
    const gm = room.isGm();
    const mine = (token.owners ?? []).includes(me.id);
    const list = [];
    if (gm || mine) {
      list.push(['HP −1', 'hp-down', () => update({ op: 'token.update', hp: (token.hp ?? 0) - 1 })]);
      list.push(['HP +1', 'hp-up', () => update({ op: 'token.update', hp: (token.hp ?? 0) + 1 })]);
      list.push(['Condition…', 'condition', () => toggleCondition(token)]);
    }
    if (gm) {
      list.push([token.hidden ? 'Reveal' : 'Hide', 'toggle-hidden', () => update({ op: token.hidden ? 'token.reveal' : 'token.hide' })]);
      list.push(['Bigger', 'size-up', () => update({ op: 'token.update', size: Math.min(20, (token.size ?? 1) + 1) })]);
      list.push(['Smaller', 'size-down', () => update({ op: 'token.update', size: Math.max(0.25, (token.size ?? 1) >= 2 ? token.size - 1 : token.size / 2) })]);
      list.push(['Rotate ⟳', 'rotate', () => update({ op: 'token.update', rotation: normalise((token.rotation ?? 0) + 45) })]);
      list.push([token.locked ? 'Unlock' : 'Lock', 'lock', () => update({ op: 'token.update', locked: !token.locked })]);
      list.push([token.layer === 'gm' ? 'To token layer' : 'To GM layer', 'layer', () => update({ op: 'token.update', layer: token.layer === 'gm' ? 'tokens' : 'gm' })]);
      list.push(['Give to…', 'owners', () => giveTo(token)]);
      list.push(['Remove', 'remove', () => removeToken(token)]);
    }
    return list;
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

  async function toggleCondition(token) {
    const name = await askText({
      title: `Condition on ${token.name}`,
      label: 'Condition to add or remove',
      placeholder: 'e.g. prone',
      confirmLabel: 'Toggle',
    });
    if (!name) return;
    const conditions = new Set(token.conditions ?? []);
    conditions.has(name) ? conditions.delete(name) : conditions.add(name);
    update({ op: 'token.update', conditions: [...conditions] });
  }

  /** The owner is chosen from the room's members by name: nobody has to know, or can mistype, an id. */
  async function giveTo(token) {
    let members;
    try {
      members = (await api.get(`/api/rooms/${encodeURIComponent(roomId)}/members`)).members ?? [];
    } catch (error) {
      return notify(`The members could not be loaded: ${error.message}`, 'error');
    }
    const options = [{ value: '', label: 'Nobody (GM only)' }].concat(
      members
        .filter((member) => !member.banned)
        .map((member) => ({ value: member.userId, label: `${member.displayName} (${member.role.toLowerCase()})` })),
    );
    const answer = await askFields({
      title: `Give ${token.name} to…`,
      fields: [{ name: 'owner', label: 'Owner', value: token.owners?.[0] ?? '', options }],
      confirmLabel: 'Give',
    });
    if (answer === null) return;
    update({ op: 'token.update', owners: answer.owner ? [answer.owner] : [] });
  }

  function render() {
    const token = tokenId ? room.tokenAt(tokenId) : null;
    if (!token) {
      tokenId = null;
      card.replaceChildren(el('p', { class: 'empty' }, 'Click a token to select it; right-click for its menu.'));
      return;
    }
    const facts = [
      typeof token.hp === 'number' ? `HP ${token.hp}${token.maxHp ? ` / ${token.maxHp}` : ''}` : null,
      (token.conditions ?? []).length ? `Conditions: ${token.conditions.join(', ')}` : null,
      token.hidden ? 'Hidden from players' : null,
      token.locked ? 'Locked' : null,
    ].filter(Boolean);
    card.replaceChildren(
      el('h3', { testid: 'selection-name' }, token.name),
      ...facts.map((fact) => el('p', {}, fact)),
      el('div', { class: 'selection-actions' }, ...actionsFor(token).map(([label, id, run]) => el('button', { type: 'button', testid: `token-${id}`, onclick: run }, label))),
    );
  }

  /** A right-click menu at the pointer, with the same actions. */
  function menu(token, x, y) {
    document.querySelector('.context-menu')?.remove();
    const actions = actionsFor(token);
    if (actions.length === 0) return;
    const close = () => menuElement.remove();
    const menuElement = el(
      'div',
      { class: 'context-menu', testid: 'context-menu', role: 'menu', style: `left:${x}px;top:${y}px` },
      el('strong', {}, token.name),
      ...actions.map(([label, , run]) => el('button', { type: 'button', role: 'menuitem', onclick: () => (close(), run()) }, label)),
    );
    document.body.append(menuElement);
    setTimeout(() => document.addEventListener('pointerdown', (event) => !menuElement.contains(event.target) && close(), { once: true }));
  }

  document.addEventListener('keydown', (event) => {
    if (!tokenId || !room.isGm() || event.target.closest('input, textarea, select')) return;
    const token = room.tokenAt(tokenId);
    if (!token) return;
    const keys = {
      '[': () => update({ op: 'token.update', size: Math.max(0.25, (token.size ?? 1) - 0.5) }),
      ']': () => update({ op: 'token.update', size: Math.min(20, (token.size ?? 1) + 0.5) }),
      ',': () => update({ op: 'token.update', rotation: normalise((token.rotation ?? 0) - 15) }),
      '.': () => update({ op: 'token.update', rotation: normalise((token.rotation ?? 0) + 15) }),
      h: () => update({ op: token.hidden ? 'token.reveal' : 'token.hide' }),
      Delete: () => update({ op: 'token.remove' }),
    };
    if (keys[event.key]) {
      event.preventDefault();
      keys[event.key]();
    }
  });

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
