// Mounts the side column's tab host (SideTabs.svelte) into `host`. Loaded beside the map rather than with the page's
// first script: Svelte's runtime stays out of the first load, which the map and the connection need first.

/**
 * Resolves {add({id, label, icon, node}), show(id), current()}: a panel joins the column as one entry; `icon` loads
 * its Lucide icon, e.g. () => import('@lucide/svelte/icons/users').
 */
export async function createSideTabs(host, { onchange } = {}) {
  const [{ mount }, { default: SideTabs }] = await Promise.all([import('svelte'), import('./SideTabs.svelte')]);
  return mount(SideTabs, { target: host, props: { onchange } });
}
