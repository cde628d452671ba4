// The room's GM view right after a given event, as the server rebuilds it (GET …/state?at=) from its snapshots and
// log with the same reducer the room's owner uses (ADR 12): no second reducer here to drift from the Java one.
import { api } from '../common/api.js';

export function emptyView() {
  return { activeScene: null, scenes: {}, tokens: {}, drawings: {}, notes: {} };
}

/** @returns stateAt(seq) → Promise<{view, source: 'server'|'empty'}> */
export function replaySource(roomId) {
  return async function stateAt(seq) {
    if (seq <= 0) return { view: emptyView(), source: 'empty' };
    const answer = await api.get(`/api/rooms/${encodeURIComponent(roomId)}/state?at=${seq}`);
    return { view: answer.view, source: 'server' };
  };
}
