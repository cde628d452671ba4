// The dice tray (DicePanel.svelte), loaded after the table's first paint like the other panels. The roll mode lives
// here too, so the sheets' attribute rolls use the mode the tray shows.
import { askConfirm } from '../../common/ui/ask.js';
import { IN } from '../addresses.js';

export function createDiceTray({ host, room, notify }) {
  let panel = null;
  let mode = 'public';
  const source = {
    dice: () => {
      const { dialect, period, commitment, revealed } = room.dice();
      return { dialect, period, commitment, revealed };
    },
    isGm: () => room.isGm(),
    setMode: (next) => (mode = next),
    roll: (expression, how) => room.command(IN.DICE, { op: 'roll', expression, mode: how }),
    setDialect: (dialect) => room.command(IN.MAP, { op: 'room.settings', dialect }),
    rotate: () => room.command(IN.ROOM, { op: 'dice.seed.rotate' }),
    askConfirm,
    notify,
  };
  Promise.all([import('svelte'), import('./DicePanel.svelte')])
    .then(([{ mount }, { default: DicePanel }]) => {
      panel = mount(DicePanel, { target: host, props: { source } });
    })
    .catch((error) => notify(`The dice tray could not be loaded: ${error.message}`, 'error'));
  return { mode: () => mode, render: () => panel?.refresh() };
}
