// Grid calibration by dragging: the GM drags a box over one cell of the map picture's own grid, and the cell size and
// offset follow from it. An overlay above the map takes the drag (the map itself is not touched); screen points
// become scene points through the map's own toScreen, which is linear (a scale and a shift).

/** The inverse of the map's toScreen: screen → scene. */
function toSceneOf(toScreen) {
  const [x0, y0] = toScreen(0, 0);
  const [x1] = toScreen(1000, 0);
  const scale = (x1 - x0) / 1000;
  return (clientX, clientY) => [(clientX - x0) / scale, (clientY - y0) / scale];
}

const half = (value) => Math.round(value * 2) / 2;

/**
 * Lets the GM drag over one cell; resolves {size, offsetX, offsetY} in scene pixels (to half a pixel), or null when
 * cancelled (Esc, or a box too small to be a cell).
 */
export function calibrateOnMap({ host, toScreen }) {
  return new Promise((resolve) => {
    const overlay = document.createElement('div');
    overlay.className = 'calibrate-overlay';
    overlay.dataset.testid = 'calibrate-overlay';
    const hint = document.createElement('div');
    hint.className = 'calibrate-hint';
    hint.setAttribute('role', 'status');
    hint.textContent = 'Drag over one cell of the map’s own grid, corner to corner. Zoom in first to be precise. Esc cancels.';
    const box = document.createElement('div');
    box.className = 'calibrate-box';
    overlay.append(hint, box);
    host.append(overlay);
    const toScene = toSceneOf(toScreen);
    let start = null;

    const finish = (answer) => {
      overlay.remove();
      removeEventListener('keydown', onKey, true);
      resolve(answer);
    };
    const onKey = (event) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      finish(null);
    };
    addEventListener('keydown', onKey, true);

    overlay.addEventListener('pointerdown', (event) => {
      overlay.setPointerCapture(event.pointerId);
      start = [event.clientX, event.clientY];
      draw(event);
    });
    overlay.addEventListener('pointermove', (event) => start && draw(event));
    overlay.addEventListener('pointerup', (event) => {
      if (!start) return;
      const [ax, ay] = toScene(...start);
      const [bx, by] = toScene(event.clientX, event.clientY);
      const width = Math.abs(bx - ax);
      const height = Math.abs(by - ay);
      if (width < 4 || height < 4) return finish(null);
      // A cell is square: the two sides of the box are averaged, so a slightly uneven drag still measures it.
      const size = half((width + height) / 2);
      const mod = (value) => half(((value % size) + size) % size);
      finish({ size, offsetX: mod(Math.min(ax, bx)), offsetY: mod(Math.min(ay, by)) });
    });

    function draw(event) {
      const rect = host.getBoundingClientRect();
      const [x, y] = [Math.min(start[0], event.clientX), Math.min(start[1], event.clientY)];
      Object.assign(box.style, {
        left: `${x - rect.left}px`,
        top: `${y - rect.top}px`,
        width: `${Math.abs(event.clientX - start[0])}px`,
        height: `${Math.abs(event.clientY - start[1])}px`,
      });
    }
  });
}
