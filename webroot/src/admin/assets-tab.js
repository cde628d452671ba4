// Assets: the room's uploaded images with thumbnails, upload (checked here first), delete.
import { api, fetchClientConfig } from '../common/api.js';
import { busy, confirmButton, el, field, formatDateTime, statusLine } from '../common/dom.js';
import { explain } from '../common/errors.js';

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
/** Until /api/config answers: the server's default. It enforces its own limit anyway (PAYLOAD_TOO_LARGE). */
let maxUploadBytes = 5 * 1024 * 1024;
fetchClientConfig()
  .then((config) => {
    if (config.uploadMaxBytes) maxUploadBytes = config.uploadMaxBytes;
  })
  .catch(() => {});

export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Why a file cannot be uploaded, or null. */
export function uploadProblem(file) {
  if (!IMAGE_TYPES.includes(file.type)) return `“${file.name}” is not a PNG, JPEG, WebP or GIF image.`;
  if (file.size > maxUploadBytes) return `“${file.name}” is ${formatBytes(file.size)}; images can be at most ${formatBytes(maxUploadBytes)}.`;
  return null;
}

export function assetsTab({ roomId }) {
  const base = `/api/rooms/${encodeURIComponent(roomId)}/assets`;
  return {
    id: 'assets',
    label: 'Assets',
    mount(panel) {
      const uploadStatus = statusLine('upload-status');
      const listStatus = statusLine('assets-status');
      const grid = el('ul', { class: 'asset-grid', testid: 'assets-list' });
      const file = el('input', { type: 'file', accept: IMAGE_TYPES.join(','), required: true, testid: 'asset-file' });
      const form = el('form', { class: 'inline', testid: 'asset-form' }, field('Image (PNG, JPEG, WebP or GIF)', file), el('button', { type: 'submit', class: 'primary', testid: 'asset-upload' }, 'Upload'));
      const thumbnails = new Set();

      file.addEventListener('change', () => {
        const chosen = file.files?.[0];
        const problem = chosen && uploadProblem(chosen);
        if (problem) uploadStatus.error(problem);
        else uploadStatus.clear();
      });
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const chosen = file.files?.[0];
        if (!chosen) return uploadStatus.error('Choose an image first.');
        const problem = uploadProblem(chosen);
        if (problem) return uploadStatus.error(problem);
        const data = new FormData();
        data.append('file', chosen, chosen.name);
        uploadStatus.loading(`Uploading ${chosen.name}…`);
        await busy(form, async () => {
          try {
            const asset = await api.post(base, data);
            file.value = '';
            uploadStatus.ok(`${asset.name} uploaded.`);
            await load();
          } catch (error) {
            uploadStatus.error(uploadRefusal(error));
          }
        });
      });

      async function load() {
        listStatus.loading('Loading images…');
        try {
          const { assets } = await api.get(base);
          thumbnails.forEach((url) => URL.revokeObjectURL(url));
          thumbnails.clear();
          grid.replaceChildren(...assets.map(assetItem));
          if (assets.length) listStatus.clear();
          else listStatus.info('No images yet — upload a map or a token picture.');
        } catch (error) {
          grid.replaceChildren();
          listStatus.error(`Images could not be loaded. ${explain(error)}`);
        }
      }

      function assetItem(asset) {
        const img = el('img', { alt: asset.name, loading: 'lazy', width: 120, height: 90 });
        loadThumbnail(asset, img);
        const remove = confirmButton({
          label: 'Delete',
          question: 'Delete it?',
          confirmLabel: 'Delete',
          danger: true,
          testid: 'delete-asset',
          onConfirm: async () => {
            try {
              await api.delete(`${base}/${encodeURIComponent(asset.id)}`);
              await load();
              if (grid.children.length) listStatus.ok(`${asset.name} deleted.`);
            } catch (error) {
              listStatus.error(explain(error));
            }
          },
        });
        return el('li', { class: 'asset card', testid: 'asset-item', dataset: { assetId: asset.id } }, el('div', { class: 'thumb' }, img), el('div', { class: 'asset-name', title: asset.name }, asset.name), el('div', { class: 'muted' }, `${formatBytes(asset.size)} · ${formatDateTime(asset.createdAt)}`), remove);
      }

      /** Image bytes need the Bearer header, which an <img src> cannot send: fetch them as a blob. */
      async function loadThumbnail(asset, img) {
        try {
          const response = await api.get(`/api/assets/${encodeURIComponent(asset.id)}`, { raw: true });
          const url = URL.createObjectURL(await response.blob());
          thumbnails.add(url);
          img.src = url;
        } catch {
          img.replaceWith(el('span', { class: 'muted' }, 'no preview'));
        }
      }

      panel.append(el('div', { class: 'card' }, el('h2', {}, 'Upload an image'), form, uploadStatus.node), el('div', { class: 'card' }, el('h2', {}, 'Images'), listStatus.node, grid));
      load();
      return { shown: load };
    },
  };
}

function uploadRefusal(error) {
  if (error.code === 'ASSET_NOT_AN_IMAGE') return explain(error);
  if (error.code === 'PAYLOAD_TOO_LARGE') return `That image is larger than the server accepts. ${error.message}`;
  return `The upload failed. ${explain(error)}`;
}
