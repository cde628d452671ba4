// Pop-up menus (right-click on a token, the phone's tool menu): one open at a time, see Menu.svelte. Loaded on first
// use, like the dialogs, so the page's first load does not carry it.
const kit = () => Promise.all([import('svelte'), import('./Menu.svelte')]);

let open = null;

/** Opens a menu at viewport point (x, y). Items: {label, run, testid?, danger?}. Resolves when it shows. */
export async function openMenu({ x, y, title = '', items }) {
  closeMenu();
  if (!items.length) return;
  const [{ mount, unmount }, { default: Menu }] = await kit();
  closeMenu();
  const close = () => {
    if (open?.instance !== instance) return;
    open = null;
    // After the current event: the closing click must finish on the menu's own layer before it goes.
    setTimeout(() => unmount(instance));
  };
  const instance = mount(Menu, { target: document.body, props: { x, y, title, items, close } });
  open = { instance, unmount };
}

export function closeMenu() {
  if (!open) return;
  const { instance, unmount } = open;
  open = null;
  unmount(instance);
}
