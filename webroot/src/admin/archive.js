// Room archives: export one room as a JSON file, import a file as a new room. Shared by the room tab and the overview.
import { api } from '../common/api.js';
import { busy, el, field, statusLine } from '../common/dom.js';
import { explain } from '../common/errors.js';

const MAX_IMPORT_BYTES = 32 * 1024 * 1024; // the server's import limit (ArchiveRoutes.MAX_IMPORT_BYTES)

export function exportButton(room) {
  const status = statusLine('export-status');
  const button = el('button', { type: 'button', testid: 'export-room' }, 'Export as JSON');
  button.addEventListener('click', async () => {
    status.loading('Preparing the export…');
    button.disabled = true;
    try {
      const document_ = await api.get(`/api/rooms/${encodeURIComponent(room.id)}/export`);
      download(new Blob([JSON.stringify(document_, null, 2)], { type: 'application/json' }), fileName(room.name));
      const count = (n, word) => `${n} ${n === 1 ? word : `${word}s`}`;
      status.ok(`Exported ${count(document_.events?.length ?? 0, 'event')}${document_.assets?.length ? ` and ${count(document_.assets.length, 'image')}` : ''}.`);
    } catch (error) {
      status.error(`The export failed. ${explain(error)}`);
    } finally {
      button.disabled = false;
    }
  });
  return el('div', {}, button, status.node);
}

export function importForm() {
  const status = statusLine('import-status');
  const file = el('input', { type: 'file', accept: 'application/json,.json', required: true, testid: 'import-file' });
  const form = el(
    'form',
    { class: 'inline', testid: 'import-form' },
    field('Room export (.json)', file),
    el('button', { type: 'submit', testid: 'import-submit' }, 'Import as a new room'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return status.error('Choose an exported room file first.');
    if (chosen.size > MAX_IMPORT_BYTES) return status.error('That file is larger than 32 MB, the most a room export can be.');
    status.loading('Importing…');
    await busy(form, async () => {
      let document_;
      try {
        document_ = JSON.parse(await chosen.text());
      } catch {
        return status.error('That file is not JSON. Choose a file made by “Export as JSON”.');
      }
      try {
        const created = await api.post('/api/rooms/import', document_);
        file.value = '';
        status.node.replaceChildren(
          `Imported “${created.name}” (${created.seq} events) as a new room. `,
          el('a', { href: `/admin.html?room=${encodeURIComponent(created.id)}`, testid: 'imported-room-link' }, 'Open its admin'),
          ' · ',
          el('a', { href: `/table.html?room=${encodeURIComponent(created.id)}` }, 'Open its table'),
        );
        status.node.hidden = false;
        status.node.className = 'status-line status-ok';
        status.node.dataset.kind = 'ok';
      } catch (error) {
        status.error(`The import was refused. ${explain(error)}`);
      }
    });
  });
  return el('div', {}, form, status.node);
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function fileName(roomName) {
  const slug = roomName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'room';
  return `vertable-${slug}-${new Date().toISOString().slice(0, 10)}.json`;
}
