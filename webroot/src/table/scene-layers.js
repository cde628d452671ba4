// The scene under the tokens: background and map image, the grid (one tiling texture, or one texture for hexes) and
// the fog (one render texture that each new fog operation is drawn into; rebuilt only on a reset or a resync).
import { Container, Graphics, Matrix, Rectangle, RenderTexture, Sprite, Texture, TilingSprite } from 'pixi.js';
import { textureFor } from './assets.js';
import { hexOutlines } from './geometry.js';

const FOG_MAX_PIXELS = 2048;
const GRID_TILE_RESOLUTION = 2;
const GRID_STYLE = { colour: 'rgba(0, 0, 0, 0.35)', width: 1 };

export function createSceneLayers({ renderer, layers, onImage, stats }) {
  let sceneKey = null;
  let fog = null; // {key, texture, sprite, factor, applied, lastOp, covered}

  /** Background, map image and grid: rebuilt only when the scene's id, image, size or grid changed. */
  function showScene(scene) {
    const key = scene ? JSON.stringify([scene.id, scene.image, scene.width, scene.height, scene.grid]) : null;
    if (key === sceneKey) return false;
    sceneKey = key;
    for (const layer of [layers.background, layers.grid]) layer.removeChildren().forEach((child) => child.destroy({ texture: child.label === 'grid', textureSource: child.label === 'grid' }));
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

/** Square grid: one cell drawn once and tiled. Hexes do not tile on whole pixels: one texture of the scene. */
function gridSprite(scene) {
  const { type, size, offsetX, offsetY } = scene.grid;
  if (type === 'square') {
    const px = Math.max(2, Math.round(size * GRID_TILE_RESOLUTION));
    const canvas = document.createElement('canvas');
    canvas.width = px;
    canvas.height = px;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = GRID_STYLE.colour;
    ctx.fillRect(0, 0, px, GRID_TILE_RESOLUTION * GRID_STYLE.width);
    ctx.fillRect(0, GRID_TILE_RESOLUTION * GRID_STYLE.width, GRID_TILE_RESOLUTION * GRID_STYLE.width, px);
    const tiles = new TilingSprite({ texture: Texture.from(canvas), width: scene.width + 1, height: scene.height + 1 });
    tiles.tileScale.set(size / px);
    tiles.tilePosition.set((((offsetX % size) + size) % size) - GRID_STYLE.width / 2, (((offsetY % size) + size) % size) - GRID_STYLE.width / 2);
    tiles.label = 'grid';
    return tiles;
  }
  if (type === 'hex') {
    const factor = Math.min(1, FOG_MAX_PIXELS / Math.max(scene.width, scene.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(scene.width * factor);
    canvas.height = Math.ceil(scene.height * factor);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(factor, 0, 0, factor, 0, 0);
    ctx.strokeStyle = GRID_STYLE.colour;
    ctx.lineWidth = GRID_STYLE.width / factor;
    ctx.beginPath();
    for (const outline of hexOutlines(scene.grid, scene.width, scene.height)) {
      for (let i = 0; i < outline.length; i += 2) (i ? ctx.lineTo : ctx.moveTo).call(ctx, outline[i], outline[i + 1]);
      ctx.closePath();
    }
    ctx.stroke();
    const sprite = new Sprite(Texture.from(canvas));
    sprite.width = scene.width;
    sprite.height = scene.height;
    sprite.label = 'grid';
    return sprite;
  }
  return null;
}
