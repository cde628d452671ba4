// The page's dialogs, instead of the browser's native prompt and confirm boxes: they match the table, work on phones, and never
// block the page's own event loop (a blocking prompt stalls the live map for everyone's moves).
// Loaded on first use, so a page's first load does not carry the dialog (or Svelte's runtime, until a panel needs it).
const kit = () => Promise.all([import('svelte'), import('./Dialog.svelte')]);

async function open(props) {
  const [{ mount, unmount }, { default: Dialog }] = await kit();
  return new Promise((resolve) => {
    const previous = document.activeElement;
    let dialog;
    const settle = (answer) => {
      if (!dialog) return;
      unmount(dialog);
      dialog = null;
      previous?.focus?.();
      resolve(answer);
    };
    dialog = mount(Dialog, { target: document.body, props: { ...props, settle } });
  });
}

/** Asks a yes/no question: resolves true or false. {danger: true} makes the confirm button red and not focused. */
export function askConfirm({ title, message = '', confirmLabel = 'OK', cancelLabel = 'Cancel', danger = false }) {
  return open({ title, message, confirmLabel, cancelLabel, danger });
}

/**
 * Asks for values: resolves {name: value} or null when cancelled. Each field: {name, label, value?, type?,
 * placeholder?, min?, max?, maxlength?, options?: [{value, label}], multiline?} (options make it a choice list,
 * multiline a text area).
 */
export function askFields({ title, message = '', fields, confirmLabel = 'OK', cancelLabel = 'Cancel' }) {
  return open({ title, message, fields, confirmLabel, cancelLabel });
}

/** Asks for one line of text: resolves the text (trimmed) or null when cancelled. */
export async function askText({ title, label, value = '', placeholder = '', confirmLabel = 'OK' }) {
  const answer = await askFields({ title, fields: [{ name: 'text', label, value, placeholder }], confirmLabel });
  return answer === null ? null : String(answer.text).trim();
}
