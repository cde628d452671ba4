// Members: who is in the room, their role (changeable), kick, ban and unban. The server keeps at least one GM.
import { api, currentSession } from '../common/api.js';
import { confirmButton, el, formatDateTime, statusLine } from '../common/dom.js';
import { explain } from '../common/errors.js';

const ROLES = ['GM', 'PLAYER', 'OBSERVER'];

export function membersTab({ roomId }) {
  const base = `/api/rooms/${encodeURIComponent(roomId)}/members`;
  return {
    id: 'members',
    label: 'Members',
    mount(panel) {
      const status = statusLine('members-status');
      const body = el('tbody', { testid: 'members-list' });
      const table = el('table', { class: 'data stack' }, el('thead', {}, el('tr', {}, el('th', {}, 'Name'), el('th', {}, 'Role'), el('th', {}, 'Joined'), el('th', {}, 'Actions'))), body);
      panel.append(el('div', { class: 'card' }, el('h2', {}, 'Members'), status.node, el('div', { class: 'scroll-x' }, table)));

      /** `quiet` keeps the status line: it is about to say how an action went. */
      async function load(quiet = false) {
        if (!quiet) status.loading('Loading members…');
        try {
          const { members } = await api.get(base);
          const present = members.filter((m) => !m.banned);
          const banned = members.filter((m) => m.banned);
          body.replaceChildren(...present.map(memberRow), ...banned.map(bannedRow));
          if (quiet) return;
          if (present.length) status.clear();
          else status.info('Nobody is in this room yet — send an invite.');
        } catch (error) {
          status.error(`Members could not be loaded. ${explain(error)}`);
        }
      }

      /** Runs a change, then shows the list as the server now has it (a refusal leaves the old role shown). */
      async function act(work, done) {
        try {
          await work();
          await load(true);
          status.ok(done);
        } catch (error) {
          await load(true);
          status.error(explain(error));
        }
      }

      function memberRow(member) {
        const me = member.userId === currentSession()?.user?.id;
        const select = el('select', { 'aria-label': `Role of ${member.displayName}`, testid: 'member-role' }, ...ROLES.map((r) => el('option', { value: r, selected: r === member.role }, r)));
        select.addEventListener('change', () => {
          const role = select.value;
          select.disabled = true;
          act(() => api.patch(`${base}/${encodeURIComponent(member.userId)}`, { role }), `${member.displayName} is now ${role}.`);
        });
        const kick = confirmButton({
          label: 'Kick',
          question: `Remove ${member.displayName}?`,
          confirmLabel: 'Kick',
          danger: true,
          testid: 'kick-member',
          onConfirm: () => act(() => api.delete(`${base}/${encodeURIComponent(member.userId)}`), `${member.displayName} was removed. An invite can bring them back.`),
        });
        const ban = confirmButton({
          label: 'Ban',
          question: `Ban ${member.displayName} for good?`,
          confirmLabel: 'Ban',
          danger: true,
          testid: 'ban-member',
          onConfirm: () => act(() => api.delete(`${base}/${encodeURIComponent(member.userId)}?ban=true`), `${member.displayName} is banned: invites no longer let them in.`),
        });
        const devices = member.guest
          ? confirmButton({
              label: 'Sign out devices',
              question: `Stop ${member.displayName}’s browsers from coming back on their own?`,
              confirmLabel: 'Sign out',
              danger: true,
              testid: 'signout-devices',
              onConfirm: () =>
                act(() => api.delete(`${base}/${encodeURIComponent(member.userId)}/devices`), `${member.displayName}’s browsers are signed out: an invite brings them back as a new guest.`),
            })
          : null;
        return el(
          'tr',
          { testid: 'member-row', dataset: { userId: member.userId, role: member.role } },
          el('td', { 'data-label': 'Name' }, el('span', { testid: 'member-name' }, member.displayName), me ? el('span', { class: 'muted' }, ' (you)') : null, member.guest ? [' ', el('span', { class: 'badge' }, 'guest')] : null),
          el('td', { 'data-label': 'Role' }, select),
          el('td', { 'data-label': 'Joined' }, formatDateTime(member.joinedAt)),
          el('td', { 'data-label': 'Actions' }, el('span', { class: 'row-actions' }, kick, ban, devices)),
        );
      }

      function bannedRow(member) {
        return el(
          'tr',
          { testid: 'banned-row', dataset: { userId: member.userId } },
          el('td', { 'data-label': 'Name' }, member.displayName),
          el('td', { 'data-label': 'Role' }, el('span', { class: 'badge badge-down' }, 'banned')),
          el('td', { 'data-label': 'Joined' }, formatDateTime(member.joinedAt)),
          el(
            'td',
            { 'data-label': 'Actions' },
            confirmButton({
              label: 'Unban',
              question: `Let ${member.displayName} back in with an invite?`,
              confirmLabel: 'Unban',
              testid: 'unban-member',
              onConfirm: () =>
                act(() => api.delete(`/api/rooms/${encodeURIComponent(roomId)}/bans/${encodeURIComponent(member.userId)}`), `${member.displayName} is no longer banned: an invite link brings them back.`),
            }),
          ),
        );
      }

      load();
      return { shown: load };
    },
  };
}
