// The signed-in user's session: token and user kept in localStorage (one per browser profile), refreshed before expiry.
const KEY = 'vertable.session';
const listeners = new Set();
let refreshTimer = null;

export function currentSession() {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (!stored?.token || !stored?.user) return null;
    if (stored.expiresAt && stored.expiresAt <= Date.now()) return null;
    return stored;
  } catch {
    return null;
  }
}

/** Stores `{user, token, expiresIn}` as the server answers it on register, login, accept and refresh. */
export function saveSession({ user, token, expiresIn }) {
  const session = { user, token, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null };
  localStorage.setItem(KEY, JSON.stringify(session));
  listeners.forEach((listener) => listener(session));
  return session;
}

export function clearSession() {
  localStorage.removeItem(KEY);
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = null;
  listeners.forEach((listener) => listener(null));
}

/** Called with the new session (or null) whenever it changes: a refreshed token must reach the bridge too. */
export function onSessionChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Refreshes the token at 80% of its life; `refresh` is the call that fetches a new one. */
export function keepSessionFresh(refresh) {
  if (refreshTimer) clearTimeout(refreshTimer);
  const session = currentSession();
  if (!session?.expiresAt) return;
  const delay = Math.max(5_000, (session.expiresAt - Date.now()) * 0.8);
  refreshTimer = setTimeout(async () => {
    try {
      saveSession(await refresh());
      keepSessionFresh(refresh);
    } catch (error) {
      if (error.status === 401) clearSession();
      else refreshTimer = setTimeout(() => keepSessionFresh(refresh), 10_000);
    }
  }, delay);
}
