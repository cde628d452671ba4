// The admin panel's frame: a heading, tabs that keep their DOM when hidden (typed text survives switching),
// and the selected tab in the URL's hash so a reload or a shared link opens the same tab.
import { el } from '../common/dom.js';

/**
 * @param tabs [{id, label, mount(container) → optional {shown()}}]
 */
export function tabbedPanel(root, { title, subtitle, tabs }) {
  const nav = el('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Admin sections' });
  const panels = el('div', { class: 'tab-panels' });
  const mounted = new Map();

  const buttons = tabs.map((tab) =>
    el(
      'button',
      { type: 'button', role: 'tab', id: `tab-${tab.id}`, 'aria-controls': `panel-${tab.id}`, testid: `tab-${tab.id}`, onclick: () => select(tab.id, true) },
      tab.label,
    ),
  );
  nav.append(...buttons);

  function select(id, fromClick) {
    const tab = tabs.find((t) => t.id === id) ?? tabs[0];
    tabs.forEach((t, i) => buttons[i].setAttribute('aria-selected', String(t === tab)));
    for (const [tabId, entry] of mounted) entry.panel.hidden = tabId !== tab.id;
    if (!mounted.has(tab.id)) {
      const panel = el('section', { role: 'tabpanel', id: `panel-${tab.id}`, 'aria-labelledby': `tab-${tab.id}`, class: 'tab-panel', testid: `panel-${tab.id}` });
      panels.append(panel);
      mounted.set(tab.id, { panel, handle: tab.mount(panel) ?? {} });
    } else mounted.get(tab.id).handle.shown?.();
    root.dataset.tab = tab.id;
    // On a phone the tab row scrolls sideways: keep the chosen tab in sight.
    buttons[tabs.indexOf(tab)].scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    if (fromClick && location.hash !== `#${tab.id}`) history.replaceState(null, '', `#${tab.id}`);
  }

  root.replaceChildren(
    el('header', { class: 'admin-head' }, el('h1', { testid: 'admin-title' }, title), subtitle ? el('p', { class: 'muted' }, subtitle) : null),
    nav,
    panels,
  );
  window.addEventListener('hashchange', () => select(location.hash.slice(1)));
  select(location.hash.slice(1));
}

/** A whole-page message instead of tabs: refusals, missing rooms. Never a blank screen. */
export function pageMessage(root, { title, text, testid, links = [] }) {
  root.replaceChildren(
    el(
      'section',
      { class: 'card', testid, role: 'alert' },
      el('h1', {}, title),
      el('p', {}, text),
      el('p', { class: 'row-actions' }, ...links.map(([label, href]) => el('a', { class: 'button', href }, label))),
    ),
  );
}
