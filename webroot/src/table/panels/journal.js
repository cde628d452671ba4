// The journal panel (GM notes and handouts): a Svelte component loaded after the first paint; the notes themselves
// are part of the room's view, so a handout appears and disappears for players with the room's own events.
import { askConfirm, askFields } from '../../common/ui/dialogs.js';

export function createJournal({ host, room, notify }) {
  let panel = null;
  const source = {
    isGm: () => room.isGm(),
    notes: () => room.view()?.notes ?? {},
    create: (body) => room.command('vtt.in.map', { op: 'note.create', ...body }),
    update: (noteId, body) => room.command('vtt.in.map', { op: 'note.update', noteId, ...body }),
    remove: (noteId) => room.command('vtt.in.map', { op: 'note.remove', noteId }),
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
