// The top bar's "signed in as" box, the same on the landing page and in the admin panel.
import { el } from './dom.js';

/** Fills `userbox` for `user`: name, ADMIN badge for operators, the page's own link, and a log-out button. */
export function showSignedIn(userbox, user, { link, onLogout }) {
  const parts = [
    el('span', { testid: 'signed-in-as' }, 'Signed in as ', el('strong', {}, user.displayName)),
    user.admin ? el('span', { class: 'badge badge-gm', testid: 'admin-badge' }, 'ADMIN') : null,
    link,
    el('button', { type: 'button', testid: 'logout', onclick: onLogout }, 'Log out'),
  ];
  // replaceChildren would print a null as text.
  userbox.replaceChildren(...parts.filter(Boolean));
}
