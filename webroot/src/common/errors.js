// What a refusal means for the person in front of the screen: the server's own detail, plus what to do next.
import { ApiError } from './api.js';
import { MESSAGES } from './messages.js';

/** An archive's refusal names the entry or limit at fault: that detail comes before the advice. */
const withDetail = (code) => code?.startsWith('ARCHIVE_');

export { MESSAGES, readableCode } from './messages.js';

/** Codes that mean "sign in again"; pages keep what was typed and show a sign-in form. */
export function isSessionEnded(error) {
  return error instanceof ApiError && error.status === 401 && error.code !== 'INVALID_CREDENTIALS';
}

/** A readable sentence for any error: catalog advice where we have it, else the server's detail. */
export function explain(error) {
  if (!(error instanceof ApiError)) return `Something went wrong in this page: ${error?.message ?? error}`;
  if (MESSAGES[error.code] && !withDetail(error.code)) return MESSAGES[error.code];
  if (error.code === 'CONFLICT' && /at least one GM/i.test(error.message)) {
    return 'A room needs at least one GM: make someone else GM first.';
  }
  const detail = error.message?.trim() || `The server answered ${error.status}.`;
  const sentence = /[.!?]$/.test(detail) ? capitalise(detail) : `${capitalise(detail)}.`;
  return withDetail(error.code) ? `${sentence} ${MESSAGES[error.code]}` : sentence;
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
