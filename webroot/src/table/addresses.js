// The bus addresses the table speaks to, spelled once (the server's side: shared Addresses; a test keeps them in step),
// and the helper for map commands whose refusal is shown as a toast.

/** Inbound commands, the only addresses a browser may send to. */
export const IN = {
  ROOM: 'vtt.in.room',
  MAP: 'vtt.in.map',
  DICE: 'vtt.in.dice',
  CHAT: 'vtt.in.chat',
  LIVE: 'vtt.in.live',
};

/** `(body) => room.command(IN.MAP, body)` that shows a refusal as an error toast (and then resolves to undefined). */
export function mapCommand(room, notify) {
  return (body) => room.command(IN.MAP, body).catch((error) => notify(error.message, 'error'));
}
