// Room archives: export one room as a ZIP archive, import one (or an older JSON export) as a new room, with progress.
// Shared by the room tab and the overview.
import { ApiError, api, currentSession, fetchClientConfig } from '../common/api.js';
import { el, field, statusLine } from '../common/dom.js';
import { explain } from '../common/errors.js';
import { formatBytes } from './assets-tab.js';

/** Until /api/config answers: the server's default. It enforces its own limit anyway (PAYLOAD_TOO_LARGE). */
let maxImportBytes = 64 * 1024 * 1024;
fetchClientConfig()
  .then((config) => {
    if (config.archiveMaxBytes) maxImportBytes = config.archiveMaxBytes;
  })
  .catch(() => {});

const count = (n, word) => `${n} ${n === 1 ? word : `${word}s`}`;

export function exportButton(room) {
  const status = statusLine('export-status');
  const button = el('button', { type: 'button', testid: 'export-room' }, 'Export as ZIP archive');
  button.addEventListener('click', async () => {
    status.loading('Preparing the archive…');
    button.disabled = true;
    try {
      const response = await api.get(`/api/rooms/${encodeURIComponent(room.id)}/export`, { raw: true });
      const events = Number(response.headers.get('x-archive-events') ?? 0);
      const images = Number(response.headers.get('x-archive-images') ?? 0);
      const blob = await readWithProgress(response, (bytes) => status.loading(`Downloading the archive… ${formatBytes(bytes)}`));
      download(blob, fileName(room.name));
      status.ok(`Exported ${count(events, 'event')}${images ? ` and ${count(images, 'image')}` : ''} (${formatBytes(blob.size)}).`);
    } catch (error) {
      status.error(`The export failed. ${explain(error)}`);
    } finally {
      button.disabled = false;
    }
  });
  return el('div', {}, button, status.node);
}

/** The response's body as a ZIP blob, reporting the bytes received so far (the server streams it page by page). */
async function readWithProgress(response, onProgress) {
  const reader = response.body.getReader();
  const chunks = [];
  let received = 0;
  for (;;) {
    let part;
    try {
      part = await reader.read();
    } catch {
      throw new ApiError(0, 'NETWORK', 'The download was cut off before the archive was complete. Try again.');
    }
    if (part.done) break;
    chunks.push(part.value);
    received += part.value.length;
    onProgress(received);
  }
  return new Blob(chunks, { type: 'application/zip' });
}

export function importForm() {
  const status = statusLine('import-status');
  const file = el('input', {
    type: 'file',
    accept: '.zip,application/zip,.json,application/json',
    required: true,
    testid: 'import-file',
  });
  const progress = el('progress', { max: 100, value: 0, hidden: true, testid: 'import-progress' });
  const submit = el('button', { type: 'submit', testid: 'import-submit' }, 'Import as a new room');
  const form = el(
    'form',
    { class: 'inline', testid: 'import-form' },
    field('Room archive (.zip, or an older .json export)', file),
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return status.error('Choose a room archive first.');
    if (chosen.size > maxImportBytes) {
      return status.error(`That file is larger than ${formatBytes(maxImportBytes)}, the most this server imports.`);
    }
    submit.disabled = file.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    status.loading('Uploading… 0%');
    try {
      const created = await upload(chosen, (sent, total) => {
        const percent = total ? Math.floor((sent / total) * 100) : 0;
        progress.value = percent;
        status.loading(
          sent >= total
            ? 'Uploaded. Checking and storing the room…'
            : `Uploading… ${percent}% (${formatBytes(sent)} of ${formatBytes(total)})`,
        );
      });
      file.value = '';
      status.node.replaceChildren(
        `Imported “${created.name}” (${count(created.seq, 'event')}) as a new room. `,
        el('a', { href: `/admin.html?room=${encodeURIComponent(created.id)}`, testid: 'imported-room-link' }, 'Open its admin'),
        ' · ',
        el('a', { href: `/table.html?room=${encodeURIComponent(created.id)}` }, 'Open its table'),
      );
      status.node.hidden = false;
      status.node.className = 'status-line status-ok';
      status.node.dataset.kind = 'ok';
    } catch (error) {
      status.error(`The import was refused. ${explain(error)}`);
    } finally {
      progress.hidden = true;
      submit.disabled = file.disabled = false;
    }
  });
  return el('div', {}, form, progress, status.node);
}

/**
 * POSTs the file as it is (a ZIP archive, or JSON for an older export) with XMLHttpRequest, whose upload events
 * fetch does not offer, reporting bytes sent; resolves with the new room, rejects with an ApiError.
 */
function upload(chosen, onProgress) {
  const json = /\.json$/i.test(chosen.name) || chosen.type === 'application/json';
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/rooms/import');
    xhr.timeout = 600_000; // a large archive on a slow line, then the server's checks
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', json ? 'application/json' : 'application/zip');
    const session = currentSession();
    if (session) xhr.setRequestHeader('authorization', `Bearer ${session.token}`);
    xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : chosen.size));
    xhr.upload.addEventListener('load', () => onProgress(chosen.size, chosen.size));
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // an answer without a JSON body: described by its status below
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) return resolve(body);
      reject(new ApiError(xhr.status, body?.code ?? `HTTP_${xhr.status}`, body?.detail ?? body?.title ?? `The server answered ${xhr.status}.`));
    });
    const unreachable = () => reject(new ApiError(0, 'NETWORK', 'The server cannot be reached. Check your connection and try again.'));
    xhr.addEventListener('error', unreachable);
    xhr.addEventListener('timeout', unreachable);
    xhr.send(chosen);
  });
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
  return `vertable-${slug}-${new Date().toISOString().slice(0, 10)}.zip`;
}
