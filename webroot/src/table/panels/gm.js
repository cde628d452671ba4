// GM tools: scenes (create, show to players), tokens (create from colour/initials or a library image), the room's
// image library with upload, fog (enable/reset), and "view as player".
import { ApiError, api } from '../../common/api.js';
import { askConfirm } from '../../common/ui/dialogs.js';
import { previewUrl } from '../assets.js';
import { el } from '../ui.js';

export function createGmTools({ host, roomId, room, map, notify }) {
  const mapCommand = (body) => room.command('vtt.in.map', body).catch((error) => {
    notify(error.message, 'error');
    throw error;
  });

  // ---- scenes ----
  const sceneSelect = el('select', { testid: 'scene-select', 'aria-label': 'Scene' });
  const sceneName = el('input', { testid: 'scene-name', placeholder: 'New scene name', maxLength: 80 });
  const gridType = el('select', { testid: 'scene-grid', 'aria-label': 'Grid' }, el('option', { value: 'square' }, 'Square grid'), el('option', { value: 'hex' }, 'Hex grid'), el('option', { value: 'none' }, 'No grid'));
  const sceneImage = el('select', { testid: 'scene-image', 'aria-label': 'Scene image' }, el('option', { value: '' }, 'No image'));
  const scenes = el(
    'section',
    { class: 'gm-section' },
    el('h3', {}, 'Scenes'),
    el('label', {}, 'Shown to players ', sceneSelect),
    el('button', { type: 'button', testid: 'scene-activate', onclick: () => sceneSelect.value && mapCommand({ op: 'scene.activate', sceneId: sceneSelect.value }) }, 'Show to players'),
    el(
      'form',
      {
        onsubmit: (event) => {
          event.preventDefault();
          const name = sceneName.value.trim() || 'New scene';
          const body = { op: 'scene.create', name, width: 1400, height: 1000, grid: { type: gridType.value, size: 70 } };
          if (sceneImage.value) body.image = sceneImage.value;
          mapCommand(body).then(() => (sceneName.value = ''), () => {});
        },
      },
      sceneName,
      gridType,
      sceneImage,
      el('button', { type: 'submit', testid: 'scene-create' }, 'Create scene'),
    ),
  );

  // ---- tokens ----
  const tokenName = el('input', { testid: 'token-name', placeholder: 'Token name', maxLength: 80 });
  const tokenColour = el('input', { type: 'color', value: '#c62828', testid: 'token-color', 'aria-label': 'Token colour' });
  const tokenHp = el('input', { type: 'number', min: 0, placeholder: 'HP', testid: 'token-hp', 'aria-label': 'Hit points' });
  const tokenHidden = el('input', { type: 'checkbox', testid: 'token-hidden' });
  let libraryChoice = null;
  const tokens = el(
    'section',
    { class: 'gm-section' },
    el('h3', {}, 'New token'),
    el(
      'form',
      {
        onsubmit: (event) => {
          event.preventDefault();
          createToken();
        },
      },
      tokenName,
      tokenColour,
      tokenHp,
      el('label', {}, tokenHidden, ' hidden'),
      el('button', { type: 'submit', testid: 'token-create' }, 'Place in the middle'),
    ),
  );

  function createToken() {
    const scene = room.activeScene();
    if (!scene) return notify('Create a scene first.', 'info');
    const [x, y] = centreOfScene(scene);
    const body = { op: 'token.create', sceneId: scene.id, name: tokenName.value.trim() || 'Token', color: tokenColour.value, x, y, hidden: tokenHidden.checked };
    const hp = Number(tokenHp.value);
    if (tokenHp.value && Number.isFinite(hp)) Object.assign(body, { hp, maxHp: hp });
    if (libraryChoice) body.image = libraryChoice;
    mapCommand(body).then(() => (tokenName.value = ''), () => {});
  }

  function centreOfScene(scene) {
    const size = scene.grid?.size ?? 70;
    const cell = (value) => Math.floor(value / size) * size + size / 2;
    return [cell(scene.width / 2), cell(scene.height / 2)];
  }

  // ---- library ----
  const libraryList = el('ul', { class: 'library', testid: 'library' }, el('li', { class: 'empty' }, 'Loading images…'));
  const upload = el('input', { type: 'file', accept: 'image/*', testid: 'library-upload', 'aria-label': 'Upload an image' });
  upload.addEventListener('change', () => upload.files[0] && uploadImage(upload.files[0]));
  const library = el('section', { class: 'gm-section' }, el('h3', {}, 'Image library'), libraryList, el('label', { class: 'upload' }, 'Upload ', upload));

  async function loadLibrary() {
    try {
      const { assets = [] } = await api.get(`/api/rooms/${encodeURIComponent(roomId)}/assets`);
      showLibrary(assets);
    } catch (error) {
      const text = error instanceof ApiError && error.status === 404 ? 'The image library is not available on this server yet.' : `Images could not be loaded: ${error.message}`;
      libraryList.replaceChildren(el('li', { class: 'empty', testid: 'library-error' }, text));
    }
  }

  function showLibrary(assets) {
    sceneImage.replaceChildren(el('option', { value: '' }, 'No image'), ...assets.map((asset) => el('option', { value: asset.id }, asset.name)));
    if (assets.length === 0) return libraryList.replaceChildren(el('li', { class: 'empty' }, 'No images yet: upload a map or token picture.'));
    libraryList.replaceChildren(
      ...assets.map((asset) => {
        const image = el('img', { alt: asset.name, width: 48, height: 48 });
        previewUrl(asset.id).then((url) => (image.src = url), () => image.remove());
        const item = el(
          'li',
          {
            testid: 'library-item',
            tabIndex: 0,
            title: `Use ${asset.name} for the next token`,
            onclick: () => {
              libraryChoice = libraryChoice === asset.id ? null : asset.id;
              libraryList.querySelectorAll('li').forEach((li) => li.classList.toggle('chosen', li === item && libraryChoice !== null));
            },
          },
          image,
          el('span', {}, asset.name),
        );
        return item;
      }),
    );
  }

  async function uploadImage(file) {
    const form = new FormData();
    form.append('file', file);
    try {
      await api.post(`/api/rooms/${encodeURIComponent(roomId)}/assets`, form);
      notify(`${file.name} uploaded.`, 'info');
      loadLibrary();
    } catch (error) {
      const text = { ASSET_NOT_AN_IMAGE: 'That file is not an image.', PAYLOAD_TOO_LARGE: 'That image is too large.' }[error.code];
      notify(text ?? (error.status === 404 ? 'Uploads are not available on this server yet.' : error.message), 'error');
    } finally {
      upload.value = '';
    }
  }

  // ---- fog and view ----
  const viewAsPlayer = el('input', { type: 'checkbox', testid: 'view-as-player' });
  viewAsPlayer.addEventListener('change', () => {
    map.setViewAsPlayer(viewAsPlayer.checked);
    document.body.classList.toggle('viewing-as-player', viewAsPlayer.checked);
  });
  const fog = el(
    'section',
    { class: 'gm-section' },
    el('h3', {}, 'Fog and view'),
    el('button', { type: 'button', testid: 'fog-cover-all', onclick: () => resetFog(true) }, 'Cover everything'),
    el('button', { type: 'button', testid: 'fog-clear', onclick: () => resetFog(false, true) }, 'Reveal everything'),
    el('button', { type: 'button', testid: 'fog-off', onclick: () => resetFog(false, false) }, 'Fog off'),
    el('label', { class: 'view-as-player' }, viewAsPlayer, ' View as player'),
  );

  const FOG_QUESTIONS = {
    cover: { title: 'Cover the whole map?', message: 'The players see nothing of this scene until you reveal parts of it again. What you revealed so far is forgotten.', confirmLabel: 'Cover everything' },
    reveal: { title: 'Reveal the whole map?', message: 'The players see all of this scene at once, including what is hidden under the fog now.', confirmLabel: 'Reveal everything' },
    off: { title: 'Turn the fog off?', message: 'The players see all of this scene, and what you covered or revealed is forgotten.', confirmLabel: 'Fog off' },
  };

  /** Every reset changes what players see at once and forgets the fog drawn so far: it asks first. */
  async function resetFog(covered, enabled = true) {
    const scene = room.activeScene();
    if (!scene) return notify('There is no scene shown yet.', 'info');
    const question = FOG_QUESTIONS[!enabled ? 'off' : covered ? 'cover' : 'reveal'];
    if (!(await askConfirm({ ...question, danger: true }))) return;
    mapCommand({ op: 'fog.reset', sceneId: scene.id, enabled, covered }).catch(() => {});
  }

  host.append(el('h2', {}, 'GM tools'), scenes, tokens, library, fog);

  function render() {
    const view = room.view();
    const current = sceneSelect.value || view?.activeScene;
    sceneSelect.replaceChildren(
      ...Object.values(view?.scenes ?? {}).map((scene) => el('option', { value: scene.id, selected: scene.id === current }, `${scene.name}${scene.id === view.activeScene ? ' (shown)' : ''}`)),
    );
  }

  loadLibrary();
  return { render };
}
