// The character sheets panel: a Svelte component, loaded after the table's first paint (it is not needed to see the
// map), talking to the dice service over the bridge. Players see and edit their own sheets; GMs every sheet, NPCs too.
import { api } from '../../common/api.js';
import { askFields } from '../../common/ui/ask.js';
import { IN } from '../addresses.js';
import { previewUrl } from '../assets.js';

export function createSheets({ host, room, me, notify, rollMode, onSaved = () => {} }) {
  let panel = null;
  const pending = [];
  const previews = new Map(); // image → Promise of a blob URL (the asset route needs the session's header)
  // Others who list sheets (the chat's "As") hear of a new name.
  const saved = (promise) => promise.then((sheet) => (onSaved(sheet), sheet));
  const dice = (op, body = {}) => room.command(IN.DICE, { op, ...body });
  const source = {
    meId: me.id,
    isGm: () => room.isGm(),
    canKeep: () => room.role() !== 'OBSERVER',
    list: async () => (await dice('character.list')).characters ?? [],
    roster: async () => (await api.get(`/api/rooms/${encodeURIComponent(room.id())}/roster`)).members ?? [],
    create: (body) => saved(dice('character.create', body)),
    update: (id, body) => saved(dice('character.update', { id, ...body })),
    roll: (character, expression, flavor) => dice('roll', { expression, character, flavor, mode: rollMode() }),
    // Portraits come from the room's image library (the GM's: only GMs pick them, everyone sees them).
    images: async () => (await api.get(`/api/rooms/${encodeURIComponent(room.id())}/assets`)).assets ?? [],
    preview: (image) => previews.get(image) ?? previews.set(image, previewUrl(image)).get(image),
    askFields,
    notify,
  };

  Promise.all([import('svelte'), import('./SheetsPanel.svelte')])
    .then(([{ mount }, { default: SheetsPanel }]) => {
      panel = mount(SheetsPanel, { target: host, props: { source } });
      for (const call of pending.splice(0)) call();
    })
    .catch((error) => notify(`The character sheets could not be loaded: ${error.message}`, 'error'));

  const whenReady = (call) => (panel ? call() : pending.push(call));
  // A token's editor asks for its sheet: the Sheets tab opens on it.
  document.addEventListener('vtt:open-sheet', (event) => {
    document.querySelector('[data-testid=tab-sheets]')?.click();
    whenReady(() => panel.open(event.detail));
  });
  return {
    reload: () => whenReady(() => panel.reload()),
    changed: (event) => whenReady(() => panel.changedElsewhere(event.characterId)),
  };
}
