// The conditions the editor offers by name (the usual ones of d20 games); anything else is added as custom text.
export const CONDITIONS = [
  'blinded', 'charmed', 'deafened', 'frightened', 'grappled', 'incapacitated', 'invisible', 'paralyzed',
  'petrified', 'poisoned', 'prone', 'restrained', 'stunned', 'unconscious', 'exhausted', 'concentrating',
].map((id) => ({ id, label: id.charAt(0).toUpperCase() + id.slice(1) }));
