// The dialogs for pages that must load fast (the table): the same calls as dialogs.js, which is fetched on the first
// question asked, so a first load that asks nothing does not carry it.
const dialogs = () => import('./dialogs.js');

export const askConfirm = async (options) => (await dialogs()).askConfirm(options);
export const askFields = async (options) => (await dialogs()).askFields(options);
export const askText = async (options) => (await dialogs()).askText(options);
