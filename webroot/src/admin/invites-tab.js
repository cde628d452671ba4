// Invites: create (role, uses, expiry), list, copy the link, revoke.
import { api } from '../common/api.js';
import { busy, confirmButton, el, field, formatDateTime, statusLine } from '../common/dom.js';
import { explain } from '../common/errors.js';

const EXPIRY_CHOICES = [
  ['', 'Never'],
  ['30', '30 minutes'],
  ['60', '1 hour'],
  ['1440', '1 day'],
  ['10080', '1 week'],
];

/** The server builds the link (it knows the public URL behind a proxy); this page's origin is the fallback. */
const joinLink = (invite) => invite.url ?? `${location.origin}/join/${invite.code}`;

export function invitesTab({ roomId }) {
  const base = `/api/rooms/${encodeURIComponent(roomId)}/invites`;
  return {
    id: 'invites',
    label: 'Invites',
    mount(panel) {
      const createStatus = statusLine('invite-create-status');
      const listStatus = statusLine('invites-status');
      const role = el('select', { name: 'role', testid: 'invite-role' }, ...[['PLAYER', 'Player'], ['OBSERVER', 'Observer'], ['GM', 'GM']].map(([r, label]) => el('option', { value: r }, label)));
      const maxUses = el('input', { type: 'number', name: 'maxUses', min: 1, max: 1000, inputmode: 'numeric', placeholder: 'unlimited', testid: 'invite-max-uses' });
      const expiry = el('select', { name: 'expires', testid: 'invite-expiry' }, ...EXPIRY_CHOICES.map(([value, label]) => el('option', { value }, label)));
      const list = el('ul', { class: 'list', testid: 'invites-list' });
      const form = el('form', { class: 'inline', testid: 'invite-form' }, field('Role', role), field('Max uses', maxUses), field('Expires', expiry), el('button', { type: 'submit', class: 'primary', testid: 'invite-create' }, 'Create invite'));

      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const body = { role: role.value };
        if (maxUses.value) {
          const uses = Number(maxUses.value);
          if (!Number.isInteger(uses) || uses < 1 || uses > 1000) return createStatus.error('Max uses is a whole number from 1 to 1000, or empty for unlimited.');
          body.maxUses = uses;
        }
        if (expiry.value) body.expiresInMinutes = Number(expiry.value);
        createStatus.loading('Creating the invite…');
        await busy(form, async () => {
          try {
            const invite = await api.post(base, body);
            createStatus.ok(`Invite ${invite.code} created — copy its link below and send it to your players.`);
            await load();
          } catch (error) {
            createStatus.error(explain(error));
          }
        });
      });

      /** `quiet` keeps the status line when the list has entries: it is about to say how an action went. */
      async function load(quiet = false) {
        if (!quiet) listStatus.loading('Loading invites…');
        try {
          const { invites } = await api.get(base);
          list.replaceChildren(...invites.map(inviteItem));
          if (!invites.length) listStatus.info('No invites yet — create one above.');
          else if (!quiet) listStatus.clear();
        } catch (error) {
          listStatus.error(`Invites could not be loaded. ${explain(error)}`);
        }
      }

      function inviteItem(invite) {
        const link = joinLink(invite);
        const feedback = el('span', { class: 'copy-feedback', role: 'status', 'aria-live': 'polite', testid: 'copy-feedback' });
        const linkBox = el('input', { type: 'text', readOnly: true, value: link, 'aria-label': `Invite link ${invite.code}`, testid: 'invite-link', class: 'link-box' });
        const copy = el('button', { type: 'button', testid: 'copy-invite', onclick: () => copyLink(link, linkBox, feedback) }, 'Copy link');
        const revoke = confirmButton({
          label: 'Revoke',
          question: 'Revoke this link?',
          confirmLabel: 'Revoke',
          danger: true,
          testid: 'revoke-invite',
          onConfirm: async () => {
            try {
              await api.delete(`${base}/${encodeURIComponent(invite.code)}`);
              await load(true);
              if (list.children.length) listStatus.ok(`Invite ${invite.code} revoked: the link no longer works.`);
            } catch (error) {
              listStatus.error(explain(error));
            }
          },
        });
        return el(
          'li',
          { testid: 'invite-item', dataset: { code: invite.code } },
          el(
            'div',
            { class: 'invite-meta' },
            el('strong', { testid: 'invite-code' }, invite.code),
            ' ',
            el('span', { class: 'badge' }, invite.role),
            el('div', { class: 'muted' }, `Used ${invite.uses}${invite.maxUses ? ` of ${invite.maxUses}` : ''} · ${invite.expiresAt ? `expires ${formatDateTime(invite.expiresAt)}` : 'never expires'}`),
          ),
          el('div', { class: 'row-actions' }, linkBox, copy, revoke, feedback),
        );
      }

      panel.append(el('div', { class: 'card' }, el('h2', {}, 'New invite'), form, createStatus.node), el('div', { class: 'card' }, el('h2', {}, 'Open invites'), listStatus.node, list));
      load();
      return { shown: load };
    },
  };
}

/** The clipboard API needs a secure context and permission; when refused, the link is selected for a manual copy. */
async function copyLink(link, linkBox, feedback) {
  try {
    await navigator.clipboard.writeText(link);
    feedback.textContent = 'Copied!';
    feedback.dataset.state = 'copied';
  } catch {
    linkBox.focus();
    linkBox.select();
    feedback.textContent = 'Press Ctrl+C (⌘C) to copy the selected link.';
    feedback.dataset.state = 'manual';
  }
  setTimeout(() => {
    if (feedback.dataset.state) {
      feedback.textContent = '';
      delete feedback.dataset.state;
    }
  }, 4000);
}
