// Small DOM helpers. User text only ever goes in through textContent or attributes, never as HTML.
import { el } from './el.js';

export { el } from './el.js';

/** A labelled form field: the label wraps its control, so screen readers and taps both find it. */
export function field(labelText, control, hint) {
  return el('label', { class: 'field' }, el('span', { class: 'field-label' }, labelText), control, hint ? el('small', { class: 'hint' }, hint) : null);
}

/** A live region for a section's status: loading, empty, error or success lines. */
export function statusLine(testid) {
  const line = el('p', { class: 'status-line', role: 'status', 'aria-live': 'polite', testid, hidden: true });
  const set = (kind, text) => {
    line.hidden = !text;
    line.className = `status-line status-${kind}`;
    line.dataset.kind = kind;
    line.textContent = text ?? '';
  };
  return {
    node: line,
    loading: (text = 'Loading…') => set('loading', text),
    ok: (text) => set('ok', text),
    error: (text) => set('error', text),
    info: (text) => set('info', text),
    clear: () => set('info', ''),
  };
}

/** A button that asks "are you sure?" in place (no window.confirm: it blocks, and phones render it poorly). */
export function confirmButton({ label, question, confirmLabel = 'Yes', testid, danger = false, onConfirm }) {
  const wrap = el('span', { class: 'confirm' });
  const start = el('button', { type: 'button', class: danger ? 'danger' : '', testid }, label);
  const ask = () => {
    const yes = el('button', { type: 'button', class: danger ? 'danger' : 'primary', testid: testid && `${testid}-yes` }, confirmLabel);
    const no = el('button', { type: 'button', testid: testid && `${testid}-no` }, 'Cancel');
    const reset = () => wrap.replaceChildren(start);
    yes.addEventListener('click', async () => {
      yes.disabled = no.disabled = true;
      try {
        await onConfirm();
      } finally {
        if (wrap.isConnected) reset();
      }
    });
    no.addEventListener('click', reset);
    wrap.replaceChildren(el('span', { class: 'confirm-question' }, question), yes, no);
    yes.focus();
  };
  start.addEventListener('click', ask);
  wrap.append(start);
  return wrap;
}

/** Disables a form's controls while `work` runs, so a double tap sends one request. */
export async function busy(form, work) {
  const controls = [...form.querySelectorAll('button, input, select, textarea')].filter((c) => !c.disabled);
  controls.forEach((c) => (c.disabled = true));
  try {
    return await work();
  } finally {
    controls.forEach((c) => (c.disabled = false));
  }
}

export function formatDateTime(value) {
  if (value === null || value === undefined) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

export function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds ?? 0));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d} d ${h} h`;
  if (h) return `${h} h ${m} min`;
  if (m) return `${m} min`;
  return `${s} s`;
}
