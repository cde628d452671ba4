// Who is at the table: the room's members (from REST) merged with presence frames (whole lists and changes).
import { api } from '../../common/api.js';
import { el } from '../ui.js';

const ROLE_LABELS = { GM: 'GM', PLAYER: 'player', OBSERVER: 'observer' };

export function createParty({ host, roomId, room }) {
  const list = el('ul', { class: 'party', testid: 'party-list' }, el('li', { class: 'empty' }, 'Waiting for presence…'));
  host.append(el('h2', {}, 'Party'), list);
  let online = [];
  let members = [];

  async function loadMembers() {
    try {
      members = (await api.get(`/api/rooms/${encodeURIComponent(roomId)}/roster`)).members ?? [];
      render();
    } catch {
      // The list of online people still shows.
    }
  }

  function render() {
    const byId = new Map();
    for (const member of members) byId.set(member.userId ?? member.id, { name: member.displayName, role: member.role, online: false });
    for (const person of online) byId.set(person.userId, { ...(byId.get(person.userId) ?? {}), name: person.displayName, online: true });
    if (byId.size === 0) return list.replaceChildren(el('li', { class: 'empty' }, 'Nobody else is here yet.'));
    list.replaceChildren(
      ...[...byId.entries()].map(([id, person]) =>
        el(
          'li',
          { testid: 'party-member', 'data-user': id, 'data-online': String(person.online) },
          el('span', { class: `dot ${person.online ? 'online' : 'offline'}`, 'aria-label': person.online ? 'online' : 'offline' }),
          ` ${person.name ?? 'Someone'}`,
          person.role ? el('small', { class: 'role' }, ` ${ROLE_LABELS[person.role] ?? ''}`) : '',
        ),
      ),
    );
  }

  return {
    // A whole list replaces ours; a change adds who joined and drops who left.
    presence({ online: all, joined = [], left = [] }) {
      const gone = new Set([...left, ...joined.map((person) => person.userId)]);
      online = all ?? [...online.filter((person) => !gone.has(person.userId)), ...joined];
      render();
    },
    loadMembers,
  };
}
