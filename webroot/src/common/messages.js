// What a refusal's code means to the person in front of the screen. No imports: the table's first load carries it
// without the other pages' helpers.

/**
 * The one vocabulary of refusals, for every page: what a code means to the person in front of the screen. Keys are
 * codes of the server's catalog (docs/errors.md) or of CLIENT_CODES; a test checks both lists against the catalog.
 */
const SIGN_IN_AGAIN = 'Your session ended — sign in again.';

export const MESSAGES = {
  UNAUTHENTICATED: SIGN_IN_AGAIN,
  TOKEN_REVOKED: SIGN_IN_AGAIN,
  INVITE_INVALID: 'This invite link does not exist or was revoked. Ask your GM for a new link.',
  INVITE_EXPIRED: 'This invite link has expired. Ask your GM for a new link.',
  INVITE_EXHAUSTED: 'This invite link has been used up. Ask your GM for a new link.',
  BANNED: 'You are banned from this room. Talk to the GM if you think this is a mistake.',
  KICKED: 'The GM took you out of the room. An invite link from the GM brings you back.',
  ROOM_DELETED: 'The GM deleted this room and everything in it.',
  NOT_A_MEMBER: 'You are not a member of this room. Ask its GM for an invite link.',
  GM_ONLY: 'Only the GMs of this room can do that.',
  ADMIN_ONLY: 'Only operators (server role ADMIN) can do that.',
  FORBIDDEN: 'You are not allowed to do that.',
  NOT_FOUND: 'That is no longer there.',
  TIMEOUT: 'The server did not answer in time. Your action may not have been applied.',
  RATE_LIMITED: 'Too many requests — wait a moment and try again.',
  ROLE_CHANGED: 'The GM changed your role; the table switches to it.',
  STORE_UNAVAILABLE:
    'The table is paused: the server is restarting its database. What you do is kept and sent when it is back.',
  NETWORK: 'The server cannot be reached. Check your connection and try again.',
  OFFLINE: 'You are offline; this will be retried when the connection is back.',
  ACCESS_DENIED: 'The server refused this connection for your account.',
  REJECTED: 'The server refused that message.',
  ARCHIVE_INVALID: 'Choose a .zip (or older .json) exported by Vertable; nothing was imported.',
  ARCHIVE_UNSAFE_PATH: 'The archive was not trusted and nothing was imported; export the room again.',
  ARCHIVE_CHECKSUM_MISMATCH: 'The archive was changed or damaged after export; nothing was imported. Download it again.',
  ARCHIVE_VERSION_UNSUPPORTED: 'It comes from a newer Vertable; update this server first. Nothing was imported.',
  ARCHIVE_TOO_LARGE: 'It is over this server\'s import limits; nothing was imported. Ask the operator, or export fewer images.',
  WALL_DEGENERATE: 'That would leave the wall a segment of zero length; nothing changed.',
  ASSET_NOT_AN_IMAGE: 'The server did not recognise that file as an image. Upload a PNG, JPEG, WebP or GIF.',
};

/** Conditions the browser names itself (no connection, the bridge library's own refusals); never server codes. */
export const CLIENT_CODES = new Set(['NETWORK', 'OFFLINE', 'ACCESS_DENIED', 'REJECTED', 'BRIDGE_ERROR']);

/** The sentence for a code, else the server's own words, else a plain "refused (CODE)". */
export function readableCode(code, fallback) {
  return MESSAGES[code] ?? (fallback && fallback !== code ? fallback : `The server refused this (${code}).`);
}
