// What a refusal means for the person in front of the screen: the server's own detail, plus what to do next.
import { ApiError } from './api.js';

const ADVICE = {
  UNAUTHENTICATED: 'Your session ended — sign in again.',
  TOKEN_REVOKED: 'Your session ended — sign in again.',
  INVITE_INVALID: 'This invite link does not exist or was revoked. Ask your GM for a new link.',
  INVITE_EXPIRED: 'This invite link has expired. Ask your GM for a new link.',
  INVITE_EXHAUSTED: 'This invite link has been used up. Ask your GM for a new link.',
  BANNED: 'You are banned from this room. Talk to the GM if you think this is a mistake.',
  NOT_A_MEMBER: 'You are not a member of this room. Ask its GM for an invite link.',
  GM_ONLY: 'Only the GMs of this room can do that.',
  ADMIN_ONLY: 'Only operators (server role ADMIN) can do that.',
  RATE_LIMITED: 'Too many requests — wait a moment and try again.',
  NETWORK: 'The server cannot be reached. Check your connection and try again.',
};

/** Codes that mean "sign in again"; pages keep what was typed and show a sign-in form. */
export function isSessionEnded(error) {
  return error instanceof ApiError && error.status === 401 && error.code !== 'INVALID_CREDENTIALS';
}

/** A readable sentence for any error: catalog advice where we have it, else the server's detail. */
export function explain(error) {
  if (!(error instanceof ApiError)) return `Something went wrong in this page: ${error?.message ?? error}`;
  if (ADVICE[error.code]) return ADVICE[error.code];
  if (error.code === 'CONFLICT' && /at least one GM/i.test(error.message)) {
    return 'A room needs at least one GM: make someone else GM first.';
  }
  const detail = error.message?.trim() || `The server answered ${error.status}.`;
  return /[.!?]$/.test(detail) ? capitalise(detail) : `${capitalise(detail)}.`;
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
