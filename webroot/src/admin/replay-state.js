// The room's GM view right after a given event. The server rebuilds it (GET …/state?at=); where that route is
// not deployed yet, the page folds the log it already has (the GM may read all of it) through the drawn parts of
// the room reducer (shared/…/RoomReducer.java): scenes, tokens, fog and drawings. Initiative and notes are not drawn.
import { api } from '../common/api.js';
import { isMissingRoute } from '../common/errors.js';

const CHECKPOINT_EVERY = 250;

export function emptyView() {
  return { activeScene: null, scenes: {}, tokens: {}, drawings: {}, notes: {} };
}

/** Applies one logged event to a view in place (the drawn subset of RoomReducer.apply). */
export function applyEvent(view, { type, data = {} }) {
  const token = view.tokens[data.tokenId];
  const scene = view.scenes[data.sceneId];
  switch (type) {
    case 'scene.created':
      view.scenes[data.sceneId] = { id: data.sceneId, name: data.name, image: data.image, width: data.width, height: data.height, grid: data.grid, fog: { enabled: false, initial: 'revealed', ops: [] } };
      break;
    case 'scene.updated':
      if (scene) Object.assign(scene, without(data, 'sceneId'));
      break;
    case 'scene.activated':
      view.activeScene = data.sceneId;
      break;
    case 'token.created':
      view.tokens[data.tokenId] = { ...without(data, 'tokenId'), id: data.tokenId };
      break;
    case 'token.moved':
      if (token) Object.assign(token, { x: data.x, y: data.y });
      break;
    case 'token.updated':
      if (token) Object.assign(token, without(data, 'tokenId'));
      break;
    case 'token.hidden':
    case 'token.revealed':
      if (token) token.hidden = type === 'token.hidden';
      break;
    case 'token.removed':
      delete view.tokens[data.tokenId];
      break;
    case 'fog.revealed':
    case 'fog.covered':
      scene?.fog.ops.push({ op: type === 'fog.revealed' ? 'reveal' : 'cover', shape: data.shape });
      break;
    case 'fog.reset':
      if (scene) scene.fog = { enabled: data.enabled, initial: data.covered ? 'covered' : 'revealed', ops: [] };
      break;
    case 'drawing.created':
      view.drawings[data.drawingId] = { ...without(data, 'drawingId'), id: data.drawingId };
      break;
    case 'drawing.removed':
      delete view.drawings[data.drawingId];
      break;
    default:
    // Chat, dice, initiative, notes and settings draw nothing on the map.
  }
  return view;
}

function without(data, key) {
  const copy = { ...data };
  delete copy[key];
  return copy;
}

/**
 * @param events the room's log in seq order (what the timeline shows)
 * @returns stateAt(seq) → Promise<{view, source: 'server'|'browser'}>
 */
export function replaySource(roomId, events) {
  let serverHasState = true;
  const checkpoints = [{ seq: 0, view: emptyView() }];

  function rebuildLocally(seq) {
    let start = checkpoints[0];
    for (const checkpoint of checkpoints) if (checkpoint.seq <= seq) start = checkpoint;
    const view = structuredClone(start.view);
    for (const event of events) {
      if (event.seq <= start.seq) continue;
      if (event.seq > seq) break;
      applyEvent(view, event);
      if (event.seq % CHECKPOINT_EVERY === 0 && event.seq > checkpoints.at(-1).seq) checkpoints.push({ seq: event.seq, view: structuredClone(view) });
    }
    return view;
  }

  return async function stateAt(seq) {
    if (seq > 0 && serverHasState) {
      try {
        const answer = await api.get(`/api/rooms/${encodeURIComponent(roomId)}/state?at=${seq}`);
        return { view: answer.view, source: 'server' };
      } catch (error) {
        if (!isMissingRoute(error)) throw error;
        serverHasState = false;
      }
    }
    return { view: rebuildLocally(seq), source: seq > 0 ? 'browser' : 'empty' };
  };
}
