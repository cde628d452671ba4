// REST calls to the node. Refusals are RFC 9457 problems with a catalog code; they become ApiError with a readable text.
import { clearSession, currentSession, keepSessionFresh, saveSession } from './session.js';

// Pages that only talk REST need no second import for who is signed in.
export { currentSession } from './session.js';

// Set on a browser a guest joined from: it may hold their way back (an HttpOnly cookie this script cannot see).
const DEVICE_HINT = 'vertable.guestDevice';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function request(method, path, body, { raw = false } = {}) {
  const headers = { accept: 'application/json' };
  const session = currentSession();
  if (session) headers.authorization = `Bearer ${session.token}`;
  let payload;
  if (body instanceof FormData || body instanceof Blob) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    // A half-open connection to a dying node must not hang the page: uploads get longer than the rest.
    const timeout = payload instanceof FormData || payload instanceof Blob ? 180_000 : 60_000;
    response = await fetch(path, { method, headers, body: payload, signal: AbortSignal.timeout(timeout) });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached. Check your connection; we will keep trying.');
  }
  if (response.ok) {
    if (raw) return response;
    return response.status === 204 ? null : response.json();
  }
  const problem = await response.json().catch(() => null);
  const code = problem?.code ?? 'HTTP_' + response.status;
  if (response.status === 401 && session && code !== 'INVALID_CREDENTIALS') clearSession();
  throw new ApiError(response.status, code, problem?.detail ?? problem?.title ?? `The server answered ${response.status}.`);
}

export const api = {
  get: (path, options) => request('GET', path, undefined, options),
  post: (path, body, options) => request('POST', path, body ?? {}, options),
  put: (path, body) => request('PUT', path, body ?? {}),
  patch: (path, body) => request('PATCH', path, body ?? {}),
  delete: (path) => request('DELETE', path),
};

const refresh = () => api.post('/api/auth/refresh');

/** Signs in (register, login or invite accept answers) and keeps the token fresh. */
export function startSession(answer) {
  if (answer.user?.guest) localStorage.setItem(DEVICE_HINT, '1');
  else localStorage.removeItem(DEVICE_HINT);
  const session = saveSession(answer);
  keepSessionFresh(refresh);
  return session;
}

/** On page load: keep an existing session fresh; null when nobody is signed in. */
export function resumeSession() {
  const session = currentSession();
  if (session) keepSessionFresh(refresh);
  return session;
}

/**
 * A guest's browser keeps a way back (an HttpOnly cookie the server rotates on each use): with no session, it is
 * exchanged for one, so a guest coming back next week is the same member. Null when there is none or it was refused.
 */
export async function recoverSession() {
  // Only a browser a guest joined from has one (the cookie itself cannot be read here): others ask nothing.
  if (!localStorage.getItem(DEVICE_HINT)) return null;
  try {
    return startSession(await api.post('/api/auth/device'));
  } catch {
    localStorage.removeItem(DEVICE_HINT);
    return null;
  }
}


/** With a live session, or else a guest's way back; null when neither. */
export async function resumeOrRecover() {
  return resumeSession() ?? (await recoverSession());
}

export async function logout() {
  try {
    await api.post('/api/auth/logout');
  } finally {
    clearSession();
    // Logging out on this browser also ends a guest's way back through it.
    if (localStorage.getItem(DEVICE_HINT)) await api.delete('/api/auth/device').catch(() => {});
    localStorage.removeItem(DEVICE_HINT);
  }
}

let clientConfig;
/** `{node, bridgePort, bridgePath}`: where the bridge listens (its own port unless an ingress joins them). */
export function fetchClientConfig() {
  clientConfig ??= api.get('/api/config');
  return clientConfig;
}
