// The table's DOM helpers: the one el() lives in common/el.js (user data only ever goes in as text).
import { el } from '../common/el.js';

export { el };

/** A short message in the corner: refusals, reconnects, uploads. */
export function createToasts(host) {
  return (text, kind = 'info') => {
    const toast = el('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status', testid: 'toast' }, text);
    host.append(toast);
    setTimeout(() => toast.remove(), kind === 'error' ? 7000 : 4000);
  };
}
