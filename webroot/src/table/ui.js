// Tiny DOM helpers. User data only ever goes in as text (textContent), never as markup.

/** el('button', {testid:'x', class:'y', onclick}, 'text', child…) */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'testid') node.dataset.testid = value;
    else if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key in node && key !== 'list') node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A short message in the corner: refusals, reconnects, uploads. */
export function createToasts(host) {
  return (text, kind = 'info') => {
    const toast = el('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status', testid: 'toast' }, text);
    host.append(toast);
    setTimeout(() => toast.remove(), kind === 'error' ? 7000 : 4000);
  };
}
