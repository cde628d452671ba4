// The admin panel: admin.html?room=<id> for a room's GM; admin.html alone lists the rooms I run, and for
// operators (server role ADMIN) adds the cluster page.
import { api, logout, resumeOrRecover } from '../common/api.js';
import { authForm } from '../common/auth-form.js';
import { el } from '../common/dom.js';
import { explain } from '../common/errors.js';
import { onSessionChange } from '../common/session.js';
import { showSignedIn } from '../common/userbox.js';
import { assetsTab } from './assets-tab.js';
import { clusterTab } from './cluster-tab.js';
import { diceTab } from './dice-tab.js';
import { invitesTab } from './invites-tab.js';
import { membersTab } from './members-tab.js';
import { overviewTab } from './overview-tab.js';
import { replayTab } from './replay-tab.js';
import { roomTab } from './room-tab.js';
import { pageMessage, tabbedPanel } from './shell.js';

const root = document.getElementById('app');
const userbox = document.getElementById('userbox');
const roomId = new URLSearchParams(location.search).get('room');
let loggingOut = false;

function showUser(session) {
  if (!session) return userbox.replaceChildren();
  showSignedIn(userbox, session.user, { link: el('a', { href: '/' }, 'My rooms'), onLogout: signOut });
}

async function signOut() {
  loggingOut = true;
  try {
    await logout();
  } catch {
    // The local session is gone either way.
  }
  location.assign('/');
}

/** Signs in again over the page, which stays as it was underneath (forms keep their text). */
function askToSignInAgain() {
  if (document.querySelector('[data-testid=reauth]')) return;
  const dialog = el('div', { class: 'overlay', testid: 'reauth', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Sign in again' });
  dialog.append(
    authForm({
      notice: 'Your session ended — sign in again. Nothing you typed is lost.',
      onSignedIn: () => dialog.remove(),
    }),
  );
  document.body.append(dialog);
  dialog.querySelector('input')?.focus();
}

function adminTabs(session) {
  return session.user.admin ? [clusterTab()] : [];
}

async function showRoom(session) {
  root.dataset.state = 'loading';
  let room;
  try {
    room = await api.get(`/api/rooms/${encodeURIComponent(roomId)}`);
  } catch (error) {
    root.dataset.state = 'refused';
    const notMember = error.code === 'NOT_A_MEMBER' || error.code === 'BANNED';
    return pageMessage(root, {
      testid: 'not-gm',
      title: notMember ? 'You are not a GM of this room' : 'This room cannot be opened',
      text: notMember ? 'Only the room’s GMs can use its admin panel. Ask a GM of the room if you need access.' : explain(error),
      links: [['Back to my rooms', '/']],
    });
  }
  if (room.role !== 'GM') {
    root.dataset.state = 'refused';
    return pageMessage(root, {
      testid: 'not-gm',
      title: 'You are not a GM of this room',
      text: `You are ${room.role === 'OBSERVER' ? 'an observer' : 'a player'} in “${room.name}”. Only its GMs can use the admin panel.`,
      links: [['Open the table', `/table.html?room=${encodeURIComponent(room.id)}`], ['Back to my rooms', '/']],
    });
  }
  document.title = `${room.name} — Vertable admin`;
  root.dataset.state = 'ready';
  const context = { room, roomId: room.id };
  tabbedPanel(root, {
    title: room.name,
    subtitle: 'Room administration',
    tabs: [roomTab(context), invitesTab(context), membersTab(context), assetsTab(context), replayTab(context), diceTab(context), ...adminTabs(session)],
  });
  explainMissingCluster(session);
}

function showOverview(session) {
  root.dataset.state = 'ready';
  tabbedPanel(root, { title: 'Admin', subtitle: 'Rooms you run' + (session.user.admin ? ' and the cluster' : ''), tabs: [overviewTab(), ...adminTabs(session)] });
  explainMissingCluster(session);
}

/** A link to the cluster page opened by a non-operator says why it is not there, instead of silently showing another tab. */
function explainMissingCluster(session) {
  if (location.hash !== '#cluster' || session.user.admin) return;
  root.querySelector('.admin-head')?.append(
    el('p', { class: 'notice', role: 'alert', testid: 'cluster-refused' }, 'The cluster page is for operators (server role ADMIN) only.'),
  );
}

function start(session) {
  showUser(session);
  if (roomId) showRoom(session);
  else showOverview(session);
}

onSessionChange((session) => {
  showUser(session);
  if (!session && !loggingOut && root.dataset.state !== 'signed-out') askToSignInAgain();
});

resumeOrRecover().then((session) => {
  if (session) start(session);
  else {
    root.dataset.state = 'signed-out';
    root.replaceChildren(authForm({ notice: 'Sign in to use the admin panel.', onSignedIn: (fresh) => start(fresh) }));
  }
});
