// Decides what the landing page shows: an invite, the sign-in form, or my rooms.
import { api, currentSession, logout, recoverSession, resumeSession, startSession } from '../common/api.js';
import { authForm } from '../common/auth-form.js';
import { el } from '../common/dom.js';
import { explain } from '../common/errors.js';
import { askFields } from '../common/ui/dialogs.js';
import { onSessionChange } from '../common/session.js';
import { showSignedIn } from '../common/userbox.js';
import { inviteCodeFromPath, joinPanel } from './join.js';
import { roomsPanel } from './rooms.js';

const SESSION_ENDED = 'Your session ended — sign in again. Nothing you typed is lost.';

/** Where to go back to after signing in (`/?next=/table.html?room=…`): a page of this site only, never elsewhere. */
function returnPath() {
  const next = new URLSearchParams(location.search).get('next');
  if (!next?.startsWith('/')) return null;
  // Parsed as the browser will parse it (it drops tabs and newlines, reads backslashes as slashes), then compared.
  const target = new URL(next, location.origin);
  return target.origin === location.origin ? target.pathname + target.search + target.hash : null;
}

export async function startLanding(root, userbox) {
  const inviteCode = inviteCodeFromPath(location.pathname);
  const rooms = roomsPanel({ onSessionEnded: () => showSignIn(SESSION_ENDED) });
  let loggingOut = false;

  function showUser(session) {
    if (!session) return userbox.replaceChildren();
    const { user } = session;
    const adminLink = user.admin || !user.guest ? el('a', { href: '/admin.html', testid: 'open-admin-overview' }, 'Admin panel') : null;
    const keep = user.guest ? el('button', { type: 'button', testid: 'claim-account', onclick: () => claim() }, 'Keep this name…') : null;
    showSignedIn(userbox, user, { link: adminLink ?? keep, onLogout: signOut });
  }

  /** A guest chooses a username and password and keeps who they are: rooms, tokens, sheets. */
  async function claim(notice = '') {
    const answer = await askFields({
      title: 'Keep your name with a password',
      message: `${notice ? `${notice} ` : ''}You stay the same person in every room you joined; next time you sign in with these from any browser.`,
      fields: [
        { name: 'username', label: 'Username (letters, digits, . _ -)', maxlength: 32 },
        { name: 'password', label: 'Password', type: 'password', maxlength: 200 },
      ],
      confirmLabel: 'Keep my name',
    });
    if (!answer) return;
    try {
      startSession(await api.post('/api/auth/claim', answer));
    } catch (error) {
      await claim(explain(error));
    }
  }

  async function signOut() {
    loggingOut = true;
    try {
      await logout();
    } catch {
      // The local session is gone either way; a server that cannot be reached revokes nothing we could retry.
    }
    loggingOut = false;
    showSignIn();
  }

  function showSignIn(notice) {
    // A 401 both clears the session and fails the call that met it: show the form once.
    if (root.dataset.state === 'signed-out' && notice && root.querySelector('[data-testid=auth-notice]')) return;
    root.dataset.state = 'signed-out';
    const form = authForm({ notice, onSignedIn: signedIn });
    // The rooms panel stays in the page (hidden) so its typed text survives.
    rooms.node.hidden = true;
    root.replaceChildren(form, rooms.node);
    form.querySelector('input')?.focus();
  }

  function signedIn() {
    const next = returnPath();
    if (next) location.assign(next);
    else showRooms();
  }

  function showRooms() {
    root.dataset.state = 'signed-in';
    rooms.node.hidden = false;
    root.replaceChildren(rooms.node);
    rooms.load();
  }

  onSessionChange((session) => {
    showUser(session);
    if (!session && !loggingOut && !inviteCode && root.dataset.state === 'signed-in') showSignIn(SESSION_ENDED);
  });

  const live = resumeSession();
  const session = live ?? (await recoverSession());
  showUser(session);
  if (inviteCode) {
    root.dataset.state = 'joining';
    root.replaceChildren(joinPanel(inviteCode), el('p', {}, el('a', { href: '/' }, 'Back to my rooms')));
  } else if (currentSession()) {
    // A guest's browser that brought them back goes on to where they were headed.
    const next = live ? null : returnPath();
    if (next) location.assign(next);
    else showRooms();
  } else showSignIn();
}
