// GM tools: scenes (create, show to players), tokens (create from colour/initials or a library image), the room's
// image library with upload, fog (enable/reset), and "view as player".
import { ApiError, api } from '../../common/api.js';
import { askConfirm } from '../../common/ui/ask.js';
import { previewUrl } from '../assets.js';
import { snap } from '../geometry.js';
import { el } from '../ui.js';
import { IN } from '../addresses.js';

export function createGmTools({ host, roomId, room, map, notify }) {
  const mapCommand = (body) => room.command(IN.MAP, body).catch((error) => {
    notify(error.message, 'error');
    throw error; // the caller undoes what it showed
  });

  // ---- scenes ----
  const sceneSelect = el('select', { testid: 'scene-select', 'aria-label': 'Scene' });
  const scenes = el(
    'section',
    { class: 'gm-section' },
    el('h3', {}, 'Scenes'),
    el('div', { class: 'gm-row' }, sceneSelect),
    el(
      'div',
      { class: 'gm-row' },
      el('button', { type: 'button', testid: 'scene-activate', onclick: () => sceneSelect.value && mapCommand({ op: 'scene.activate', sceneId: sceneSelect.value }).catch(() => {}) }, 'Show to players'),
      el('button', { type: 'button', testid: 'scene-edit', onclick: () => editScene(room.view()?.scenes?.[sceneSelect.value]) }, 'Edit scene…'),
      el('button', { type: 'button', testid: 'scene-new', onclick: () => editScene(null) }, 'New scene…'),
      el('button', { type: 'button', testid: 'scene-up', title: 'Move the chosen scene up the list', 'aria-label': 'Move scene up', onclick: () => moveScene(-1) }, '▲'),
      el('button', { type: 'button', testid: 'scene-down', title: 'Move the chosen scene down the list', 'aria-label': 'Move scene down', onclick: () => moveScene(1) }, '▼'),
    ),
  );

  /** The scenes in the GM's order: ordered ones first, then the rest as they were made. */
  function orderedScenes() {
    const all = Object.values(room.view()?.scenes ?? {});
    return all.map((scene, made) => [scene, scene.order ?? all.length + made]).sort((a, b) => a[1] - b[1]).map(([scene]) => scene);
  }

  function moveScene(step) {
    const order = orderedScenes().map((scene) => scene.id);
    const at = order.indexOf(sceneSelect.value);
    if (at < 0 || at + step < 0 || at + step >= order.length) return;
    [order[at], order[at + step]] = [order[at + step], order[at]];
    mapCommand({ op: 'scene.reorder', sceneIds: order }).catch(() => {});
  }

  /** The scene editor, for the chosen scene or a new one; saving sends one command, refusals stay in the editor. */
  async function editScene(scene) {
    if (scene === undefined) return notify('Choose a scene first.', 'info');
    const { openSceneEditor } = await import('../editors/editors.js');
    // Only the shown scene is on the map, so only it can be measured by dragging.
    const shown = scene && room.view()?.activeScene === scene.id;
    await openSceneEditor({
      roomId,
      scene,
      calibrate: shown ? () => calibrate() : null,
      save: async (body) => {
        if (scene) return room.command(IN.MAP, { op: 'scene.update', sceneId: scene.id, ...body });
        wanted = 'newest';
        return room.command(IN.MAP, { op: 'scene.create', ...body });
      },
      remove: () => removeScene(scene),
    });
  }

  async function calibrate() {
    const { calibrateOnMap } = await import('../editors/calibrate.js');
    return calibrateOnMap({ host: map.app.canvas.parentElement, toScreen: map.toScreen });
  }

  async function removeScene(scene) {
    const shown = room.view()?.activeScene === scene.id;
    const tokens = room.tokens().filter((token) => token.sceneId === scene.id).length;
    const sure = await askConfirm({
      title: `Delete ${scene.name}?`,
      message: `Its ${tokens} token${tokens === 1 ? '' : 's'} and its drawings go with it.${shown ? ' The players are on this scene: they will see no scene until you show another.' : ''}`,
      confirmLabel: 'Delete scene',
      danger: true,
    });
    if (!sure) return false;
    try {
      await room.command(IN.MAP, { op: 'scene.remove', sceneId: scene.id });
      return true;
    } catch (error) {
      notify(error.message, 'error');
      return false;
    }
  }

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
      el('button', { type: 'submit', testid: 'token-create', title: 'In the middle of what you see, on a free cell' }, 'Place on the map'),
    ),
  );

  function createToken() {
    const scene = room.activeScene();
    if (!scene) return notify('Create a scene first.', 'info');
    const [x, y] = freeCellInView(scene);
    const body = { op: 'token.create', sceneId: scene.id, name: tokenName.value.trim() || 'Token', color: tokenColour.value, x, y, hidden: tokenHidden.checked };
    const hp = Number(tokenHp.value);
    if (tokenHp.value && Number.isFinite(hp)) Object.assign(body, { hp, maxHp: hp });
    if (libraryChoice) body.image = libraryChoice;
    // Each token starts afresh: a ticked "hidden" must not carry over to the next one unnoticed.
    mapCommand(body).then(() => ((tokenName.value = ''), (tokenHidden.checked = false)), () => {});
  }

  /**
   * Where a new token goes: the cell in the middle of what the GM sees (within the scene), or the next free cell to
   * its right, so tokens made one after another do not pile up on one spot.
   */
  function freeCellInView(scene) {
    const host = map.app.canvas.getBoundingClientRect();
    const [x0, y0] = map.toScreen(0, 0);
    const scale = (map.toScreen(1000, 0)[0] - x0) / 1000;
    const inside = (value, limit) => Math.max(0, Math.min(limit, value));
    const centre = [inside((host.left + host.width / 2 - x0) / scale, scene.width), inside((host.top + host.height / 2 - y0) / scale, scene.height)];
    const grid = scene.grid ?? { type: 'square', size: 70, offsetX: 0, offsetY: 0 };
    const step = grid.size ?? 70;
    const taken = room.tokens().filter((token) => token.sceneId === scene.id);
    let [x, y] = snap(grid, ...centre);
    for (let tries = 0; tries < 20 && taken.some((token) => Math.hypot(token.x - x, token.y - y) < step / 2); tries++) {
      [x, y] = snap(grid, x + step, y);
    }
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
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
            draggable: true,
            'data-name': asset.name,
            title: `Use ${asset.name} for the next token, or drag it onto the map`,
            ondragstart: (event) => {
              event.dataTransfer.setData(ASSET_TYPE, JSON.stringify({ id: asset.id, name: asset.name }));
              event.dataTransfer.effectAllowed = 'copy';
            },
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

  // A picture dropped on the map becomes a token where it was dropped, on the grid; a character sheet dropped there
  // becomes a token linked to it (named after it, wearing its portrait).
  const ASSET_TYPE = 'application/x-vertable-asset';
  const SHEET_TYPE = 'application/x-vertable-sheet';
  const mapHost = map.app.canvas.parentElement;
  mapHost.addEventListener('dragover', (event) => {
    if (!event.dataTransfer.types.includes(ASSET_TYPE) && !event.dataTransfer.types.includes(SHEET_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  mapHost.addEventListener('drop', (event) => {
    const data = event.dataTransfer.getData(ASSET_TYPE);
    const sheet = event.dataTransfer.getData(SHEET_TYPE);
    const scene = room.activeScene();
    if ((!data && !sheet) || !map.tools()) return;
    event.preventDefault();
    if (!scene) return notify('Create a scene first.', 'info');
    const [x, y] = snap(scene.grid ?? { type: 'square', size: 70 }, ...map.tools().toWorld(event.clientX, event.clientY), 1);
    const at = { op: 'token.create', sceneId: scene.id, x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 };
    if (sheet) {
      const { id, name, portrait, ownerId } = JSON.parse(sheet);
      const body = { ...at, name: name.slice(0, 80) || 'Token', sheetId: id, ...(portrait ? { image: portrait } : {}), ...(ownerId ? { owners: [ownerId] } : {}) };
      return void mapCommand(body).catch(() => {});
    }
    const { id, name } = JSON.parse(data);
    mapCommand({ ...at, name: name.replace(/\.[a-z0-9]+$/i, '').slice(0, 80) || 'Token', image: id }).catch(() => {});
  });

  // ---- fog and view ----
  const viewAsPlayer = el('input', { type: 'checkbox', testid: 'view-as-player' });
  // With vision on, "view as player" shows one player's own mask: whose, the GM picks (players with tokens first).
  const viewAsWho = el('select', { testid: 'view-as-who', 'aria-label': 'View as which player', hidden: true });
  viewAsPlayer.addEventListener('change', async () => {
    map.setViewAsPlayer(viewAsPlayer.checked);
    document.body.classList.toggle('viewing-as-player', viewAsPlayer.checked);
    if (viewAsPlayer.checked) await fillPlayers();
    viewAsWho.hidden = !viewAsPlayer.checked || !viewAsWho.options.length;
    announceViewAs();
  });
  viewAsWho.addEventListener('change', announceViewAs);

  function announceViewAs() {
    const userId = viewAsPlayer.checked ? viewAsWho.value || null : null;
    document.dispatchEvent(new CustomEvent('vtt:view-as', { detail: { userId } }));
  }

  /** The room's players by name, those with a token on the shown scene first. */
  async function fillPlayers() {
    let people = [];
    try {
      people = (await api.get(`/api/rooms/${encodeURIComponent(roomId)}/roster`)).members ?? [];
    } catch {
      return;
    }
    const shown = room.activeScene();
    const owning = new Set(Object.values(room.view()?.tokens ?? {}).filter((token) => token.sceneId === shown?.id).flatMap((token) => token.owners ?? []));
    const players = people.filter((person) => person.role === 'PLAYER').sort((a, b) => Number(owning.has(b.userId)) - Number(owning.has(a.userId)));
    const was = viewAsWho.value;
    viewAsWho.replaceChildren(...players.map((person) => el('option', { value: person.userId, selected: person.userId === was }, person.displayName)));
  }
  const fog = el(
    'section',
    { class: 'gm-section' },
    el('h3', {}, 'Fog and view'),
    el('button', { type: 'button', testid: 'fog-cover-all', onclick: () => resetFog(true) }, 'Cover everything'),
    el('button', { type: 'button', testid: 'fog-clear', onclick: () => resetFog(false, true) }, 'Reveal everything'),
    el('button', { type: 'button', testid: 'fog-off', onclick: () => resetFog(false, false) }, 'Fog off'),
    el('button', { type: 'button', testid: 'fog-undo', title: 'Take back the last fog change (a reset too)', onclick: undoFog }, 'Undo fog'),
    el('label', { class: 'view-as-player' }, viewAsPlayer, ' View as player'),
    viewAsWho,
  );

  const FOG_QUESTIONS = {
    cover: { title: 'Cover the whole map?', message: 'The players see nothing of this scene until you reveal parts of it again. Undo fog brings back what you revealed.', confirmLabel: 'Cover everything' },
    reveal: { title: 'Reveal the whole map?', message: 'The players see all of this scene at once, including what is hidden under the fog now.', confirmLabel: 'Reveal everything' },
    off: { title: 'Turn the fog off?', message: 'The players see all of this scene, and what you covered or revealed goes (Undo fog brings it back).', confirmLabel: 'Fog off' },
  };

  function undoFog() {
    const scene = room.activeScene();
    if (scene) mapCommand({ op: 'fog.undo', sceneId: scene.id }).catch(() => {});
  }

  /** Every reset changes what players see at once and forgets the fog drawn so far: it asks first. */
  async function resetFog(covered, enabled = true) {
    const scene = room.activeScene();
    if (!scene) return notify('There is no scene shown yet.', 'info');
    const question = FOG_QUESTIONS[!enabled ? 'off' : covered ? 'cover' : 'reveal'];
    if (!(await askConfirm({ ...question, danger: true }))) return;
    mapCommand({ op: 'fog.reset', sceneId: scene.id, enabled, covered }).catch(() => {});
  }

  // ---- walls, lights and vision (docs/vision.md) ----
  // The forms for each light and wall: a Svelte component, loaded the first time the GM opens them.
  const formListeners = new Set();
  const visionForms = el('details', { class: 'vision-details', testid: 'vision-forms-toggle' }, el('summary', {}, 'Edit walls and lights'));
  visionForms.addEventListener('toggle', async () => {
    if (!visionForms.open || visionForms.dataset.mounted) return;
    visionForms.dataset.mounted = 'yes';
    const [{ mount }, { default: VisionPanel }] = await Promise.all([import('svelte'), import('../editors/VisionPanel.svelte')]);
    mount(VisionPanel, { target: visionForms, props: { room, command: mapCommand, subscribe: (listener) => formListeners.add(listener) } });
  });
  const wallKind = el('select', { testid: 'wall-kind', 'aria-label': 'Wall kind' }, ...['wall', 'door', 'window', 'terrain'].map((kind) => el('option', { value: kind }, kind)));
  const visionOn = el('input', { type: 'checkbox', testid: 'vision-on' });
  const darkness = el('select', { testid: 'darkness', 'aria-label': 'Darkness' }, el('option', { value: '0' }, 'Daylight'), el('option', { value: '0.5' }, 'Dark'), el('option', { value: '1' }, 'Pitch dark'));
  const updateShown = (body) => {
    const scene = room.activeScene();
    if (!scene) return notify('There is no scene shown yet.', 'info');
    mapCommand({ op: 'scene.update', sceneId: scene.id, ...body }).catch(() => {});
  };
  visionOn.addEventListener('change', () => updateShown({ vision: visionOn.checked }));
  darkness.addEventListener('change', () => updateShown({ darkness: Number(darkness.value) }));
  const vision = el(
    'section',
    { class: 'gm-section' },
    el('h3', {}, 'Walls and vision'),
    el('label', {}, visionOn, ' Players see only what their tokens see'),
    el('div', { class: 'gm-row' }, darkness),
    el(
      'div',
      { class: 'gm-row' },
      wallKind,
      el('button', { type: 'button', testid: 'tool-wall', title: 'Click points (they snap to grid corners and wall ends); double-click or Enter ends the wall, Escape drops it', onclick: () => map.setTool({ name: 'wall', kind: wallKind.value }) }, 'Draw walls'),
      el('button', { type: 'button', testid: 'tool-light', title: 'Click to place a light; click a light to remove it, drag it to move it', onclick: () => map.setTool({ name: 'light' }) }, 'Place lights'),
      el('button', { type: 'button', testid: 'tool-vision-edit', title: 'Drag a light to move it; click a wall, then drag its points (Shift: no snapping) or the middle handles to add one', onclick: () => map.setTool({ name: 'select', edit: 'vision' }) }, 'Edit on map'),
    ),
    el('button', { type: 'button', testid: 'explored-reset', title: 'The players forget what they explored of this scene', onclick: () => updateExplored() }, 'Forget explored'),
    visionForms,
  );

  function updateExplored() {
    const scene = room.activeScene();
    if (scene) mapCommand({ op: 'explored.reset', sceneId: scene.id }).catch(() => {});
  }

  host.append(el('h2', {}, 'GM tools'), scenes, tokens, library, fog, vision);

  // After creating a scene, the list selects it; otherwise it keeps the GM's choice (or the shown scene).
  let wanted = null;
  function render() {
    formListeners.forEach((listener) => listener());
    const view = room.view();
    const shown = room.activeScene();
    visionOn.checked = Boolean(shown?.vision);
    darkness.value = String(shown?.darkness >= 1 ? 1 : shown?.darkness >= 0.5 ? 0.5 : 0);
    const made = Object.values(view?.scenes ?? {});
    const all = orderedScenes();
    let current = sceneSelect.value || view?.activeScene;
    if (wanted === 'newest' && made.length) {
      current = made[made.length - 1].id;
      wanted = null;
    }
    if (!view?.scenes?.[current]) current = view?.activeScene;
    sceneSelect.replaceChildren(
      ...all.map((scene) => el('option', { value: scene.id, selected: scene.id === current }, `${scene.name}${scene.id === view.activeScene ? ' (shown)' : ''}`)),
    );
    if (!all.length) sceneSelect.append(el('option', { value: '' }, 'No scenes yet'));
  }

  loadLibrary();
  return { render };
}
