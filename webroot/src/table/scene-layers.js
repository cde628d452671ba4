// The scene under the tokens: background or map image, the grid (static line geometry, built once per scene) and
// the fog (one render texture that each new fog operation is drawn into; rebuilt only on a reset or a resync).
import { Container, Graphics, Matrix, Rectangle, RenderTexture, Sprite, Texture } from 'pixi.js';
import { textureFor } from './assets.js';
import { hexOutlines } from './geometry.js';

const FOG_MAX_PIXELS = 2048;
// One device pixel at any zoom: a world-space 1 px line drawn without antialiasing vanished below 100 % zoom, so
// zoomed-out grids showed only some of their lines.
const GRID_STYLE = { width: 1, alpha: 0.35, pixelLine: true };

export function createSceneLayers({ renderer, layers, onImage, stats }) {
  let sceneKey = null;
  let fog = null; // {key, texture, sprite, factor, applied, lastOp, covered}

  /** Background, map image and grid: rebuilt only when the scene's id, image, size or grid changed. */
  function showScene(scene) {
    const key = scene ? JSON.stringify([scene.id, scene.image, scene.width, scene.height, scene.grid]) : null;
    if (key === sceneKey) return false;
    sceneKey = key;
    for (const layer of [layers.background, layers.grid]) layer.removeChildren().forEach((child) => child.destroy());
    if (!scene) return true;
    const texture = textureFor(scene.image, () => {
      sceneKey = null;
      onImage();
    });
    if (texture) {
      // The map image covers the scene: no plain background under it (a full-screen pass saved every frame).
      const image = new Sprite(texture);
      image.width = scene.width;
      image.height = scene.height;
      layers.background.addChild(image);
    } else {
      layers.background.addChild(new Graphics().rect(0, 0, scene.width, scene.height).fill('#3e4a3d'));
    }
    const grid = gridSprite(scene);
    if (grid) layers.grid.addChild(grid);
    return true;
  }

  /** Fog: new operations are drawn into the texture; anything else (reset, other scene, resync) redraws it whole. */
  function showFog(scene, opaque) {
    const state = scene?.fog?.enabled ? scene.fog : null;
    const key = state ? JSON.stringify([scene.id, scene.width, scene.height, state.initial]) : null;
    if (!key) {
      dropFog();
      return;
    }
    const ops = state.ops ?? [];
    const continues = fog?.key === key && ops.length >= fog.applied && (fog.applied === 0 || JSON.stringify(ops[fog.applied - 1]) === fog.lastOp);
    if (!continues) {
      dropFog();
      const factor = Math.min(1, FOG_MAX_PIXELS / Math.max(scene.width, scene.height));
      const texture = RenderTexture.create({ width: Math.ceil(scene.width * factor), height: Math.ceil(scene.height * factor) });
      const sprite = new Sprite();
      sprite.visible = false;
      layers.fog.addChild(sprite);
      fog = { key, texture, sprite, factor, applied: 0, lastOp: null, covered: null, scene };
      paint(state.initial === 'covered' ? [{ op: 'cover', shape: { kind: 'rect', x: 0, y: 0, w: scene.width, h: scene.height } }] : [], true);
    }
    if (ops.length > fog.applied) {
      paint(ops.slice(fog.applied), false);
      fog.applied = ops.length;
      fog.lastOp = JSON.stringify(ops[ops.length - 1]);
    }
    fog.sprite.alpha = opaque ? 1 : 0.5;
  }

  /**
   * The sprite shows only the part of the fog texture that was ever covered: where nothing was, the fog layer costs no
   * pixels (a reveal never grows it).
   */
  function showCovered(shape) {
    const bounds = shapeBounds(shape);
    const next = fog.covered ? union(fog.covered, bounds) : bounds;
    const { width, height } = fog.scene;
    const x = Math.max(0, Math.floor(next.x));
    const y = Math.max(0, Math.floor(next.y));
    const w = Math.min(width, Math.ceil(next.x + next.w)) - x;
    const h = Math.min(height, Math.ceil(next.y + next.h)) - y;
    fog.covered = next;
    if (w <= 0 || h <= 0) return;
    const f = fog.factor;
    const source = fog.texture.source;
    const fx = Math.min(source.width - 1, Math.floor(x * f));
    const fy = Math.min(source.height - 1, Math.floor(y * f));
    const frame = new Rectangle(fx, fy, Math.max(1, Math.min(source.width - fx, Math.ceil(w * f))), Math.max(1, Math.min(source.height - fy, Math.ceil(h * f))));
    if (fog.sprite.texture !== Texture.EMPTY) fog.sprite.texture.destroy(false);
    fog.sprite.texture = new Texture({ source, frame });
    fog.sprite.position.set(frame.x / f, frame.y / f);
    fog.sprite.width = frame.width / f;
    fog.sprite.height = frame.height / f;
    fog.sprite.visible = true;
  }

  /** Draws fog operations into the fog texture, consecutive ones of a kind in one pass. */
  function paint(ops, clear) {
    const transform = new Matrix().scale(fog.factor, fog.factor);
    if (clear) renderer.render({ container: new Graphics(), target: fog.texture, clear: true, clearColor: [0, 0, 0, 0] });
    let run = null;
    // The blend mode of the root of a render is not applied: each run of shapes goes inside a container.
    const flush = () => {
      if (!run) return;
      const root = new Container();
      root.addChild(run);
      renderer.render({ container: root, target: fog.texture, clear: false, transform });
      root.destroy({ children: true });
      run = null;
    };
    for (const op of ops) {
      const blend = op.op === 'reveal' ? 'erase' : 'normal';
      if (run && run.blendMode !== blend) flush();
      if (!run) {
        run = new Graphics();
        run.blendMode = blend;
      }
      if (op.op !== 'reveal') showCovered(op.shape);
      if (op.shape.kind === 'rect') run.rect(op.shape.x, op.shape.y, op.shape.w, op.shape.h);
      else run.poly(op.shape.points.flat(), true);
      run.fill('#000000');
      stats.fogOps++;
    }
    flush();
  }

  function dropFog() {
    if (!fog) return;
    if (fog.sprite.texture !== Texture.EMPTY) fog.sprite.texture.destroy(false);
    fog.sprite.destroy();
    fog.texture.destroy(true);
    fog = null;
  }

  return { showScene, showFog };
}

function shapeBounds(shape) {
  if (shape.kind === 'rect') return { x: shape.x, y: shape.y, w: shape.w, h: shape.h };
  const xs = shape.points.map((p) => p[0]);
  const ys = shape.points.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y };
}

function union(a, b) {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

/**
 * The grid: one static geometry of lines, built once per scene. It sits in the world's render group, so a frame
 * neither re-tessellates nor re-transforms it; only its thin lines cost pixels. (A tiling sprite of one cell was
 * measured at about half of a zoomed frame's cost on software WebGL, for the same picture.)
 */
function gridSprite(scene) {
  const { type, size, offsetX, offsetY } = scene.grid;
  const lines = new Graphics();
  if (type === 'square') {
    for (let x = ((offsetX % size) + size) % size; x <= scene.width; x += size) lines.moveTo(x, 0).lineTo(x, scene.height);
    for (let y = ((offsetY % size) + size) % size; y <= scene.height; y += size) lines.moveTo(0, y).lineTo(scene.width, y);
  } else if (type === 'hex' || type === 'hexColumns') {
    for (const outline of hexOutlines(scene.grid, scene.width, scene.height)) lines.poly(outline, true);
  } else {
    return null;
  }
  lines.label = 'grid';
  return lines.stroke({ ...GRID_STYLE, color: '#000000' });
}
