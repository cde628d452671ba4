// The journal panel (GM notes and handouts): a Svelte component loaded after the first paint; the notes themselves
// are part of the room's view, so a handout appears and disappears for players with the room's own events.
import { api } from '../../common/api.js';
import { askConfirm, askFields } from '../../common/ui/ask.js';
import { previewUrl } from '../assets.js';
import { IN } from '../addresses.js';

export function createJournal({ host, room, notify }) {
  let panel = null;
  const previews = new Map(); // image → Promise of a blob URL (the asset route needs the session's header)
  const source = {
    isGm: () => room.isGm(),
    notes: () => room.notes(),
    // Who a handout can be shown to: the room's members other than its GMs, by display name.
    members: async () => ((await api.get(`/api/rooms/${encodeURIComponent(room.id())}/roster`)).members ?? []).filter((m) => m.role !== 'GM'),
    create: (body) => room.command(IN.MAP, { op: 'note.create', ...body }),
    update: (noteId, body) => room.command(IN.MAP, { op: 'note.update', noteId, ...body }),
    remove: (noteId) => room.command(IN.MAP, { op: 'note.remove', noteId }),
    images: async () => (await api.get(`/api/rooms/${encodeURIComponent(room.id())}/assets`)).assets ?? [],
    preview: (image) => previews.get(image) ?? previews.set(image, previewUrl(image)).get(image),
    askFields,
    askConfirm,
    notify,
  };
  Promise.all([import('svelte'), import('./JournalPanel.svelte')])
    .then(([{ mount }, { default: JournalPanel }]) => {
      panel = mount(JournalPanel, { target: host, props: { source } });
    })
    .catch((error) => notify(`The journal could not be loaded: ${error.message}`, 'error'));
  return { render: () => panel?.refresh() };
}
