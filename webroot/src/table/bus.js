// The live connection to the bridge: one EventBus at a time, rebuilt by us (not the library) on every reconnect so a
// refreshed token and a moved bridge port are picked up. Request/reply has its own timeout because a refused send is
// never called back by the bridge client.
import EventBus from '@vertx/eventbus-bridge-client.js';
import { api } from '../common/api.js';
import { currentSession, onSessionChange } from '../common/session.js';
import { MESSAGES, readableCode } from '../common/messages.js';

const REQUEST_TIMEOUT_MS = 10_000;
// The GM took this person out of the room (or deleted it): reconnecting cannot help, the page says why instead.
export const REMOVED_CODES = new Set(['KICKED', 'BANNED', 'ROOM_DELETED', 'NOT_A_MEMBER']);
const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];
const NODE_LEAVING = 1001;

/** A refusal with the server's catalog code and readable message. */
export class BusError extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;
  }
}

/** The bridge's failure frames carry `{code, message}` as JSON text in `message`; older ones a bare word. */
export function busErrorOf(frame) {
  const raw = frame?.message ?? frame?.body ?? '';
  try {
    const parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
    if (parsed?.code) return new BusError(parsed.code, parsed.message || readableCode(parsed.code));
  } catch {
    // not JSON: fall through to the plain text
  }
  const code = typeof raw === 'string' && /^[a-z_]+$/i.test(raw) ? raw.toUpperCase() : 'BRIDGE_ERROR';
  return new BusError(code, readableCode(code, raw));
}

export { readableCode };

/**
 * @param {{roomId:string, onStatus:(status:{state:string, detail?:string})=>void, onOpen:(bus)=>void,
 *          onMessage:(address:string, body:object)=>void, onAuthLost:()=>void, addresses:()=>string[],
 *          onRemoved:(error:BusError)=>void}} options
 */
export function createBus({ onStatus, onOpen, onMessage, onAuthLost, onRemoved, addresses }) {
  let eventBus = null;
  let token = currentSession()?.token;
  let attempt = 0;
  let retryTimer = null;
  let stopped = false;
  let endedWhy = null; // the server's reason when it ended this session (a GM signed a guest's browsers out)
  let state = 'connecting';
  const waiting = new Map();

  function setStatus(next, detail) {
    state = next;
    onStatus({ state: next, detail });
  }

  async function bridgeUrl() {
    // Not the cached fetchClientConfig(): after a rescale the bridge may listen elsewhere.
    const config = await api.get('/api/config');
    // Behind a reverse proxy the bridge has a URL of its own (one public origin); reached directly, it is this
    // page's host on the bridge's port.
    if (config.bridgeUrl) return `${config.bridgeUrl}?token=${encodeURIComponent(token)}`;
    const scheme = location.protocol === 'https:' ? 'https:' : 'http:';
    const path = config.bridgePath || '/eventbus';
    const port = config.bridgePort ? `:${config.bridgePort}` : location.port ? `:${location.port}` : '';
    return `${scheme}//${location.hostname}${port}${path}?token=${encodeURIComponent(token)}`;
  }

  async function connect() {
    retryTimer = null;
    if (stopped) return;
    const session = currentSession();
    if (!session) return authLost();
    token = session.token;
    setStatus(attempt === 0 ? 'connecting' : 'reconnecting');
    let url;
    try {
      url = await bridgeUrl();
    } catch (error) {
      if (error.status === 401) return authLost();
      return scheduleRetry(error.message);
    }
    const bus = new EventBus(url, { transports: ['websocket', 'xhr-streaming', 'xhr-polling'] });
    eventBus = bus;
    bus.onerror = (frame) => {
      if (bus !== eventBus) return;
      const error = busErrorOf(frame);
      if (REMOVED_CODES.has(error.code)) return removed(error);
      if (error.code === 'TOKEN_REVOKED' && error.message !== MESSAGES.TOKEN_REVOKED) endedWhy = error.message;
      onStatus({ state, detail: error.message, error });
    };
    bus.onopen = () => {
      if (bus !== eventBus) return;
      attempt = 0;
      registerMissing();
      setStatus('connected');
      onOpen();
    };
    bus.onclose = (event) => {
      if (bus !== eventBus) return;
      eventBus = null;
      failWaiting(new BusError('OFFLINE', MESSAGES.OFFLINE));
      if (stopped) return;
      // 1001, going away: the server's node is leaving; another one takes us now, no backoff or session check.
      if (event?.code === NODE_LEAVING) return retryNow();
      checkSessionThenRetry(event?.reason || (event?.code ? `connection closed (${event.code})` : undefined));
    };
  }

  /** Registers every address the page wants that the current socket does not listen to yet. */
  function registerMissing() {
    const bus = eventBus;
    if (!bus || bus.state !== EventBus.OPEN) return;
    for (const address of addresses()) {
      if (bus.handlers[address]) continue;
      bus.registerHandler(address, (error, message) => {
        if (bus !== eventBus) return;
        if (!error) return onMessage(address, message.body);
        const refusal = busErrorOf(error);
        if (REMOVED_CODES.has(refusal.code)) removed(refusal);
        else onStatus({ state, detail: refusal.message, error: refusal });
      });
    }
  }

  /** A closed socket may mean a revoked or expired session: ask the REST API, which answers 401 then. */
  async function checkSessionThenRetry(reason) {
    if (!currentSession()) return authLost();
    try {
      await api.get('/api/me');
    } catch (error) {
      if (error.status === 401) return authLost();
    }
    scheduleRetry(reason);
  }

  function scheduleRetry(reason) {
    if (stopped || retryTimer) return;
    const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
    attempt++;
    const detail = attempt > 3 ? 'The server cannot be reached. Check your network; we keep trying.' : reason;
    setStatus(attempt > 3 ? 'offline' : 'reconnecting', detail);
    retryTimer = setTimeout(connect, delay);
  }

  function authLost() {
    stopped = true;
    eventBus?.close();
    eventBus = null;
    setStatus('signed-out');
    onAuthLost(endedWhy);
  }

  /** Out of the room for good: no reconnect, the page replaces the table with the reason. */
  function removed(error) {
    stopped = true;
    const bus = eventBus;
    eventBus = null;
    bus?.close();
    failWaiting(new BusError(error.code, error.message));
    setStatus('removed', error.message);
    onRemoved?.(error);
  }

  function failWaiting(error) {
    for (const [, pending] of waiting) pending.reject(error);
    waiting.clear();
  }

  /** Sends and resolves with the reply body, or rejects with a BusError (refusal, timeout, offline). */
  function request(address, body, timeoutMs = REQUEST_TIMEOUT_MS) {
    const bus = eventBus;
    if (!bus || bus.state !== EventBus.OPEN) return Promise.reject(new BusError('OFFLINE', MESSAGES.OFFLINE));
    return new Promise((resolve, reject) => {
      const key = Symbol(address);
      const timer = setTimeout(() => {
        waiting.delete(key);
        reject(new BusError('TIMEOUT', MESSAGES.TIMEOUT));
      }, timeoutMs);
      waiting.set(key, {
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      bus.send(address, body, (error, reply) => {
        clearTimeout(timer);
        if (!waiting.delete(key)) return;
        if (error) reject(busErrorOf(error));
        else resolve(reply.body);
      });
    });
  }

  /** Fire-and-forget (live traffic): dropped while offline, which is what a preview should do. */
  function send(address, body) {
    const bus = eventBus;
    if (bus && bus.state === EventBus.OPEN) bus.send(address, body);
  }

  /** A new token means a new socket: the old one was authenticated with the old token. */
  onSessionChange((session) => {
    if (!session) return authLost();
    if (session.token === token || stopped) return;
    token = session.token;
    const old = eventBus;
    eventBus = null;
    old?.close();
    attempt = 0;
    connect();
  });

  /** Tests and the status bar's "retry now" button: skip the backoff. */
  function retryNow() {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    if (!eventBus) connect();
  }

  connect();
  return { request, send, retryNow, registerMissing, removed, state: () => state };
}
