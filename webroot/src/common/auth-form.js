// Sign in / create an account, shared by the landing page and the admin panel (which signs in again in place).
import { api, startSession } from './api.js';
import { busy, el, field, statusLine } from './dom.js';
import { explain } from './errors.js';

/**
 * @param onSignedIn called with the new session
 * @param notice optional line shown above the form (e.g. "your session ended")
 */
export function authForm({ onSignedIn, notice }) {
  let mode = 'login';
  const status = statusLine('auth-status');
  const username = el('input', { name: 'username', autocomplete: 'username', required: true, minLength: 3, maxLength: 32, testid: 'auth-username' });
  const password = el('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, maxLength: 200, testid: 'auth-password' });
  const displayName = el('input', { name: 'displayName', autocomplete: 'nickname', maxLength: 40, testid: 'auth-display-name' });
  const nameField = field('Display name (shown at the table)', displayName);
  const submit = el('button', { type: 'submit', class: 'primary', testid: 'auth-submit' });
  const loginTab = el('button', { type: 'button', role: 'tab', testid: 'auth-mode-login', onclick: () => setMode('login') }, 'Sign in');
  const registerTab = el('button', { type: 'button', role: 'tab', testid: 'auth-mode-register', onclick: () => setMode('register') }, 'Create account');

  const form = el(
    'form',
    { class: 'card auth', testid: 'auth-form', novalidate: false },
    el('div', { class: 'segmented', role: 'tablist', 'aria-label': 'Sign in or create an account' }, loginTab, registerTab),
    notice ? el('p', { class: 'notice', testid: 'auth-notice', role: 'alert' }, notice) : null,
    field('Username', username),
    field('Password', password),
    nameField,
    submit,
    status.node,
  );

  function setMode(next) {
    mode = next;
    const registering = mode === 'register';
    loginTab.setAttribute('aria-selected', String(!registering));
    registerTab.setAttribute('aria-selected', String(registering));
    nameField.hidden = !registering;
    displayName.required = registering;
    password.autocomplete = registering ? 'new-password' : 'current-password';
    submit.textContent = registering ? 'Create account' : 'Sign in';
    status.clear();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.loading(mode === 'register' ? 'Creating your account…' : 'Signing in…');
    await busy(form, async () => {
      try {
        const body = { username: username.value.trim(), password: password.value };
        if (mode === 'register') body.displayName = displayName.value.trim() || body.username;
        const answer = await api.post(mode === 'register' ? '/api/auth/register' : '/api/auth/login', body);
        password.value = '';
        status.clear();
        onSignedIn(startSession(answer));
      } catch (error) {
        status.error(error.code === 'INVALID_CREDENTIALS' ? 'Wrong username or password.' : explain(error));
      }
    });
  });

  setMode('login');
  return form;
}
