// Images for scenes and tokens. Room assets need the Bearer header, so they are fetched as blobs, not by URL.
import { ImageSource, Texture } from 'pixi.js';
import { currentSession } from '../common/session.js';

const textures = new Map();

function assetUrl(image) {
  if (/^(https?:|data:|blob:)/.test(image) || image.startsWith('/')) return { url: image, authorized: image.startsWith('/api/') };
  return { url: `/api/assets/${encodeURIComponent(image)}`, authorized: true };
}

/** An image's bytes, with the session's header where the route needs it. */
export async function imageBlob(image) {
  const { url, authorized } = assetUrl(image);
  const session = currentSession();
  const response = await fetch(url, { headers: authorized && session ? { authorization: `Bearer ${session.token}` } : {} });
  if (!response.ok) throw new Error(`image ${image}: ${response.status}`);
  return response.blob();
}

async function load(image) {
  const bitmap = await createImageBitmap(await imageBlob(image));
  // Mipmapped: a map seen zoomed out samples a small level instead of striding across the full image (much cheaper
  // on software WebGL, and no shimmer).
  const mipLevelCount = Math.floor(Math.log2(Math.max(bitmap.width, bitmap.height, 1))) + 1;
  return new Texture({ source: new ImageSource({ resource: bitmap, autoGenerateMipmaps: true, mipLevelCount }) });
}

/** The texture of an image (asset id or URL), or null while it loads or when it cannot be loaded. */
export function textureFor(image, onReady) {
  if (!image) return null;
  const entry = textures.get(image);
  if (entry?.texture) return entry.texture;
  if (entry) {
    if (!entry.failed) entry.waiting.add(onReady);
    return null;
  }
  const fresh = { texture: null, failed: false, waiting: new Set([onReady]) };
  textures.set(image, fresh);
  load(image).then(
    (texture) => {
      fresh.texture = texture;
      fresh.waiting.forEach((callback) => callback?.());
      fresh.waiting.clear();
    },
    () => {
      // Shown as a plain token or an empty scene: a missing image must not break the table.
      fresh.failed = true;
      fresh.waiting.clear();
    },
  );
  return null;
}

/** A URL for an <img> in the token library (a blob URL, since the asset route needs the header). */
export async function previewUrl(image) {
  return URL.createObjectURL(await imageBlob(image));
}
