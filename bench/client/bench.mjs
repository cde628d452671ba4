// The table page's client benchmark: frame times of the map in headless Chromium (software WebGL) with 0, 200, 500 and
// 1,000 tokens on a scene with a map image and fog, while zooming, while panning and while another client moves 20
// tokens ten times a second; main-thread time per incoming move; JS heap. Writes docs/bench/client-report.md and
// docs/bench/client-frames.svg. Not a test: it asserts nothing, it reports (the ratios are what carries across machines).
//   node bench/client/bench.mjs [--label NAME] [--out docs/bench] [--seconds 4] [--profile true]
// --without image,fog,grid leaves parts of the scene out (to see what a frame's fixed cost is made of).
// --jar PATH runs another build of the node (e.g. an older client, for a before/after table).
// --screenshots true saves the page once per token count beside the report.
// --profile also records a Chromium trace while zooming with 0 and with the most tokens, and writes where the time went.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = parseArgs(process.argv.slice(2));
const SECONDS = Number(args.seconds ?? 4);
const OUT = resolve(repo, args.out ?? 'docs/bench');
const LABEL = args.label ?? 'this build';
const COUNTS = (args.counts ?? '0,200,500,1000').split(',').map(Number);
const WITHOUT = new Set((args.without ?? '').split(',').filter(Boolean));
const CELL = 70;
const COLS = 40;
const ROWS = 25;
const MOVERS = 20;
const MOVES_PER_SECOND = 10;
// The browser tests' flags, plus two that lift the 60 Hz cap so a frame's time is its cost, not the display's pace.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic', '--disable-frame-rate-limit', '--disable-gpu-vsync',
];

function parseArgs(list) {
  const out = {};
  for (let i = 0; i < list.length; i += 2) out[list[i].replace(/^--/, '')] = list[i + 1];
  return out;
}

const log = (...parts) => console.log(`[client-bench ${new Date().toISOString().slice(11, 19)}]`, ...parts);

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

// ---- the node ----

async function startNode() {
  const jar = args.jar ? resolve(args.jar) : join(repo, 'verticles/target/vertable.jar');
  const work = mkdtempSync(join(tmpdir(), 'vertable-client-bench-'));
  const config = join(work, 'config.json');
  writeFileSync(config, JSON.stringify({
    bridge: { socketRatePerSecond: 10000, socketBurst: 10000, userRatePerSecond: 10000, userBurst: 10000, maxHandlersPerSocket: 1000 },
    uploads: { maxBytes: 33554432 },
  }));
  const [http, bridge, pg, redis] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const logFile = join(work, 'node.log');
  const out = openSync(logFile, 'a');
  const child = spawn('java', ['-Xms256m', '-Xmx1g', '-jar', jar], {
    cwd: work,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      VTT_CONFIG: config, VTT_DATA_DIR: join(work, 'data'), VTT_HTTP_PORT: String(http), VTT_BRIDGE_PORT: String(bridge),
      VTT_PG_EMBEDDED_PORT: String(pg), VTT_REDIS_EMBEDDED_PORT: String(redis),
    },
  });
  const node = { child, http, bridge, work, logFile, base: `http://127.0.0.1:${http}` };
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the node exited (${child.exitCode}):\n${tail(logFile)}`);
    try {
      if ((await fetch(`${node.base}/health/ready`)).ok) return node;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new Error(`the node was not ready in 180 s:\n${tail(logFile)}`);
}

function tail(file) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

async function stopNode(node) {
  if (!node) return;
  node.child.kill('SIGTERM');
  await new Promise((done) => {
    const timer = setTimeout(() => {
      node.child.kill('SIGKILL');
      done();
    }, 20_000);
    node.child.on('exit', () => {
      clearTimeout(timer);
      done();
    });
  });
  rmSync(node.work, { recursive: true, force: true });
}

async function rest(node, method, path, token, body, expected) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let payload = body;
  if (body && !(body instanceof FormData)) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(node.base + path, { method, headers, body: payload });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

// ---- a map image: a stone-floor pattern, not a flat colour, so the GPU samples a real texture ----

function mapPng(width, height) {
  const row = width * 3 + 1;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0;
    for (let x = 0; x < width; x++) {
      const tile = ((x / 35) | 0) + ((y / 35) | 0) * 7;
      const shade = 90 + ((tile * 2654435761) >>> 24) % 50 + (((x * 7 + y * 13) >> 2) % 9);
      const edge = x % 35 === 0 || y % 35 === 0 ? -40 : 0;
      const at = y * row + 1 + x * 3;
      raw[at] = shade + edge;
      raw[at + 1] = shade - 8 + edge;
      raw[at + 2] = shade - 20 + edge;
    }
  }
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(buffer) {
  let crc = ~0;
  for (const byte of buffer) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

// ---- the GM's socket: the raw bridge WebSocket, as the tests' client speaks it ----

function openSocket(node, token) {
  const socket = new WebSocket(`ws://127.0.0.1:${node.bridge}/eventbus/websocket?token=${encodeURIComponent(token)}`, {
    origin: node.base,
  });
  const waiting = new Map();
  const events = new Map(); // seq → event
  let counter = 0;
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    const pending = waiting.get(frame.address);
    if (pending) {
      waiting.delete(frame.address);
      if (frame.type === 'err') pending.fail(new Error(`refused: ${frame.message}`));
      else pending.done(frame.body);
    } else if (frame.type === 'rec' && typeof frame.body?.seq === 'number') {
      events.set(frame.body.seq, frame.body);
    }
  });
  const pinger = setInterval(() => socket.readyState === 1 && socket.send('{"type":"ping"}'), 5000);
  const send = (frame) => socket.send(JSON.stringify(frame));
  return {
    opened: new Promise((done, fail) => {
      socket.once('open', done);
      socket.once('error', fail);
    }),
    register: (address) => send({ type: 'register', address }),
    /** Fire and forget (no reply address, so no reply handler held on the bridge per message). */
    post: (address, body) => send({ type: 'send', address, body }),
    request(address, body) {
      const replyAddress = `bench.reply.${++counter}`;
      return new Promise((done, fail) => {
        waiting.set(replyAddress, {
          done: (reply) => (reply?.code ? fail(new Error(`${body.op} refused: ${JSON.stringify(reply)}`)) : done(reply)),
          fail,
        });
        send({ type: 'send', address, body, replyAddress });
      });
    },
    async event(seq) {
      const deadline = Date.now() + 30_000;
      while (!events.has(seq)) {
        if (Date.now() > deadline) throw new Error(`event ${seq} never came`);
        await new Promise((done) => setTimeout(done, 5));
      }
      return events.get(seq);
    },
    close() {
      clearInterval(pinger);
      socket.close();
    },
  };
}

// ---- the room ----

async function setUpRoom(node) {
  const gm = await rest(node, 'POST', '/api/auth/register', null, { username: 'bench-gm', password: 'a long enough bench secret', displayName: 'Bench GM' }, 201);
  const room = await rest(node, 'POST', '/api/rooms', gm.token, { name: 'Client bench' }, 201);
  const form = new FormData();
  form.append('file', new Blob([mapPng(COLS * CELL, ROWS * CELL)], { type: 'image/png' }), 'map.png');
  const asset = await rest(node, 'POST', `/api/rooms/${room.id}/assets`, gm.token, form, 201);
  const socket = openSocket(node, gm.token);
  await socket.opened;
  socket.register(`vtt.room.${room.id}.gm`);
  const command = (op, body) => socket.request(op === 'join' ? 'vtt.in.room' : 'vtt.in.map', { room: room.id, cid: `bench-${Math.random()}`, op, ...body });
  const post = (op, body) => socket.post('vtt.in.map', { room: room.id, cid: `bench-${Math.random()}`, op, ...body });
  await command('join', {});
  const created = await command('scene.create', {
    name: 'Flooded hall', width: COLS * CELL, height: ROWS * CELL,
    grid: { type: WITHOUT.has('grid') ? 'none' : 'square', size: CELL },
    ...(WITHOUT.has('image') ? {} : { image: asset.id }),
  });
  const sceneId = (await socket.event(created.seq)).data.sceneId;
  await command('fog.reset', { sceneId, enabled: !WITHOUT.has('fog'), covered: false });
  // Fog over a third of the map, in several shapes (the GM sees it half transparent).
  for (let i = 0; i < (WITHOUT.has('fog') ? 0 : 12); i++) {
    await command('fog.cover', { sceneId, shape: { kind: 'rect', x: 1900 + (i % 3) * 120, y: 100 + i * 120, w: 300, h: 160 } });
  }
  if (!WITHOUT.has('fog')) await command('fog.reveal', { sceneId, shape: { kind: 'polygon', points: [[2000, 300], [2400, 260], [2500, 700], [2100, 800]] } });
  return { gm, room, sceneId, socket, command, post, tokens: [] };
}

/** Tokens fill the grid's cells row by row; 8 commands in flight at a time. */
async function addTokens(setup, total) {
  const names = ['Skeleton', 'Goblin', 'Zombie', 'Cultist', 'Wolf', 'Bandit'];
  const colours = ['#8d6e63', '#43a047', '#6a1b9a', '#e53935', '#1e88e5', '#fb8c00'];
  const todo = [];
  for (let i = setup.tokens.length; i < total; i++) todo.push(i);
  const worker = async () => {
    while (todo.length) {
      const i = todo.shift();
      const reply = await setup.command('token.create', {
        sceneId: setup.sceneId, name: `${names[i % names.length]} ${i + 1}`, color: colours[i % colours.length],
        x: CELL / 2 + CELL * (i % COLS), y: CELL / 2 + CELL * Math.floor(i / COLS), hp: 7 + (i % 5), maxHp: 13,
        ...(i % 7 === 0 ? { conditions: ['prone'] } : {}),
        // Some with a name label under them: condition chips and name labels are drawn for the zoom's band.
        ...(i % 3 === 0 ? { nameVisibility: 'always' } : {}),
      });
      setup.tokens[i] = { seq: reply.seq, index: i };
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  for (const token of setup.tokens) token.id ??= (await setup.socket.event(token.seq)).data.tokenId;
}

// ---- the page ----

async function openTable(browser, node, setup) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const stored = { user: setup.gm.user, token: setup.gm.token, expiresAt: Date.now() + 50 * 60_000 };
  await context.addInitScript((value) => localStorage.setItem('vertable.session', value), JSON.stringify(stored));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${node.base}/table.html?room=${setup.room.id}`);
  await page.waitForFunction(() => window.__vertable?.state().ready && __vertable.connection() === 'connected', null, { timeout: 60_000 });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  return { page, cdp, errors };
}

/** Frame times while zooming: a wheel step every frame, 20 frames in, 20 frames out, for `seconds`. */
function zoomFrames(page, seconds) {
  return page.evaluate((ms) => new Promise((done) => {
    const canvas = document.querySelector('[data-testid=map-canvas]');
    const rect = canvas.getBoundingClientRect();
    const times = [];
    let frame = 0;
    const tick = (now) => {
      times.push(now);
      frame++;
      canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: Math.floor(frame / 20) % 2 ? 8 : -8, clientX: rect.left + rect.width / 2, clientY: rect.top + rect.height / 2, bubbles: true, cancelable: true }));
      if (now - times[0] < ms) requestAnimationFrame(tick);
      else done(times.slice(1).map((t, i) => t - times[i]));
    };
    requestAnimationFrame(tick);
  }), seconds * 1000);
}

/** Frame times while panning: the middle button held (a real press), the pointer circling, one step per frame. */
async function panFrames(page, seconds) {
  const box = await page.locator('[data-testid=map-canvas]').boundingBox();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx + 120, cy);
  await page.mouse.down({ button: 'middle' });
  const times = await page.evaluate(([ms, x0, y0]) => new Promise((done) => {
    const canvas = document.querySelector('[data-testid=map-canvas]');
    const times = [];
    const tick = (now) => {
      times.push(now);
      const angle = times.length / 15;
      canvas.dispatchEvent(new PointerEvent('pointermove', { pointerId: 1, pointerType: 'mouse', isPrimary: true, buttons: 4, clientX: x0 + Math.cos(angle) * 120, clientY: y0 + Math.sin(angle) * 120, bubbles: true }));
      if (now - times[0] < ms) requestAnimationFrame(tick);
      else done(times.slice(1).map((t, i) => t - times[i]));
    };
    requestAnimationFrame(tick);
  }), [seconds * 1000, cx, cy]);
  await page.mouse.up({ button: 'middle' });
  return times;
}

/** CPU seconds used so far by every Chromium process (browser, GPU, renderers): robust to a busy machine. */
async function browserCpu(browserCdp) {
  const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo');
  return processInfo.reduce((sum, p) => sum + p.cpuTime, 0);
}

/** Frame times from `run` and the browser's CPU milliseconds per frame over the same window. */
async function timed(browserCdp, run) {
  const before = await browserCpu(browserCdp);
  const frames = await run();
  const cpu = ((await browserCpu(browserCdp)) - before) * 1000;
  return { frames, cpuPerFrame: cpu / Math.max(1, frames.length) };
}

async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/** 20 tokens moving 10 times a second from the GM's socket; the page's frame times and its main-thread time per move. */
async function moveFrames(page, cdp, setup, seconds) {
  const movers = setup.tokens.slice(0, MOVERS);
  const seqBefore = await page.evaluate(() => __vertable.seq());
  const before = await metrics(cdp);
  const framesPromise = page.evaluate((ms) => new Promise((done) => {
    const times = [];
    const tick = (now) => {
      times.push(now);
      if (now - times[0] < ms) requestAnimationFrame(tick);
      else done(times.slice(1).map((t, i) => t - times[i]));
    };
    requestAnimationFrame(tick);
  }), seconds * 1000);
  let round = 0;
  let sent = 0;
  const timer = setInterval(() => {
    round++;
    for (const token of movers) {
      const x = CELL / 2 + CELL * (token.index % COLS) + (round % 2 ? CELL / 2 : 0);
      const y = CELL / 2 + CELL * Math.floor(token.index / COLS);
      setup.post('token.move', { tokenId: token.id, x, y });
      sent++;
    }
  }, 1000 / MOVES_PER_SECOND);
  const frames = await framesPromise;
  clearInterval(timer);
  // Every move is one event: the page has them all when its seq has gone up by as many.
  await page.waitForFunction((seq) => __vertable.seq() >= seq, seqBefore + sent, { timeout: 30_000 });
  const after = await metrics(cdp);
  const received = (await page.evaluate(() => __vertable.seq())) - seqBefore;
  return { frames, sent, received, taskMsPerMove: ((after.TaskDuration - before.TaskDuration) * 1000) / received };
}

async function heapMb(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  return (await metrics(cdp)).JSHeapUsedSize / 1048576;
}

const pct = (values, p) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/**
 * Where a zooming frame's time goes, from a Chromium trace: the page's JavaScript (animation-frame callbacks), the GPU
 * process running the frame's GL commands (SwiftShader rasterizes there), and the page's main thread waiting in
 * Commit for the frame to be taken. Only outermost events count, so nested ones are not added twice.
 */
async function profileZoom(browser, page, seconds) {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'toplevel', 'gpu', 'viz', 'cc', 'disabled-by-default-devtools.timeline'] });
  const frames = (await zoomFrames(page, seconds)).length;
  const trace = JSON.parse((await browser.stopTracing()).toString());
  const events = (trace.traceEvents ?? trace).filter((e) => e.ph === 'X' && e.dur);
  const sum = (name) => {
    const ends = new Map();
    let total = 0;
    for (const e of events.filter((e) => e.name === name).sort((a, b) => a.ts - b.ts)) {
      const thread = `${e.pid}:${e.tid}`;
      if (e.ts < (ends.get(thread) ?? 0)) continue;
      ends.set(thread, e.ts + e.dur);
      total += e.dur / 1000;
    }
    return total;
  };
  const start = Math.min(...events.map((e) => e.ts));
  const end = Math.max(...events.map((e) => e.ts + e.dur));
  return { frames, wall: (end - start) / 1000, js: sum('FireAnimationFrame'), gpu: sum('GPUTask'), commit: sum('Commit') };
}

async function measure(browser, browserCdp, node, setup, count) {
  await addTokens(setup, count);
  const table = await openTable(browser, node, setup);
  const { page, cdp } = table;
  await page.waitForFunction((n) => __vertable.tokens().length >= n, count, { timeout: 120_000 });
  // The map image and every token's look are loaded before timing starts.
  await page.waitForTimeout(1500);
  // Each phase runs twice and the run with less CPU per frame counts: another program's burst on a shared machine
  // only ever adds.
  const cheaper = (a, b) => (a.cpuPerFrame <= b.cpuPerFrame ? a : b);
  const zoomRun = cheaper(await timed(browserCdp, () => zoomFrames(page, SECONDS)), await timed(browserCdp, () => zoomFrames(page, SECONDS)));
  const panRun = cheaper(await timed(browserCdp, () => panFrames(page, SECONDS)), await timed(browserCdp, () => panFrames(page, SECONDS)));
  const zoom = zoomRun.frames;
  const pan = panRun.frames;
  const moves = count >= MOVERS ? await moveFrames(page, cdp, setup, SECONDS) : null;
  const heap = await heapMb(cdp);
  if (args.screenshots) await page.screenshot({ path: join(OUT, `client-${count}-tokens.png`) });
  const profile = args.profile && (count === 0 || count === Math.max(...COUNTS)) ? await profileZoom(browser, page, Math.min(SECONDS, 3)) : null;
  if (table.errors.length) log('page errors:', table.errors.join('\n'));
  await page.context().close();
  const row = {
    count,
    zoomP50: pct(zoom, 50), zoomP95: pct(zoom, 95), zoomFrames: zoom.length, zoomCpu: zoomRun.cpuPerFrame,
    panP50: pct(pan, 50), panP95: pct(pan, 95), panFrames: pan.length, panCpu: panRun.cpuPerFrame,
    moveP50: moves ? pct(moves.frames, 50) : null, moveP95: moves ? pct(moves.frames, 95) : null,
    moveMs: moves?.taskMsPerMove ?? null, movesSent: moves?.sent ?? 0, movesReceived: moves?.received ?? 0,
    heap,
    profile,
  };
  log(JSON.stringify({ ...row, profile: undefined }, (key, value) => (typeof value === 'number' ? Math.round(value * 100) / 100 : value)));
  return row;
}

// ---- the report ----

const f1 = (value) => (value === null || Number.isNaN(value) ? '—' : value.toFixed(1));
const f2 = (value) => (value === null || Number.isNaN(value) ? '—' : value.toFixed(2));

function report(rows, environment, startedAt, seconds) {
  const base = rows.find((row) => row.count === 0);
  const ratio = (row, key) => (base && row[key] && base[key] ? row[key] / base[key] : null);
  const lines = [
    `# Client benchmark: the table page with many tokens (${LABEL})`,
    '',
    `Run ${startedAt} (${Math.round(seconds)} s in all) with \`bench/client/run\`: one node from the packaged jar, headless`,
    `Chromium (software WebGL, SwiftShader; the browser tests' flags plus \`--disable-frame-rate-limit --disable-gpu-vsync\`,`,
    'so a frame takes what it costs rather than the 60 Hz pace), a 1280×800 window on a GM page, a',
    `${COLS * CELL}×${ROWS * CELL} scene (map image, ${CELL} px square grid, fog in 13 shapes, seen by the GM at half opacity).`,
    `Zoom and pan run twice for ${SECONDS} s each and the cheaper run counts; moves run once for ${SECONDS} s. Zoom: a wheel step every frame (20 in, 20 out). Pan: the middle button held, the pointer`,
    `circling, one step a frame. Moves: another socket of the GM moves ${MOVERS} tokens ${MOVES_PER_SECOND} times a second`,
    '(durable `token.move`); frame time is then the interval between animation frames, and main-thread time per move',
    "is the page's whole main-thread task time (Chromium's `TaskDuration`) over the window divided by the moves received.",
    'Heap: JS heap used after a forced GC. **CPU ms / frame** is the CPU time of all Chromium processes (page, GPU',
    "process with SwiftShader, compositor) over the phase divided by the frames drawn (Chromium's `SystemInfo`): unlike",
    'wall-clock frame time it barely moves when other programs compete for the cores, so the ratios are taken from it;',
    'wall-clock figures are beside it.',
    '',
    `Machine: ${environment}.`,
    '',
    '| tokens | zoom CPU ms / frame | ÷ 0 tokens | pan CPU ms / frame | ÷ 0 tokens | zoom p50 / p95 ms | pan p50 / p95 ms | moves p50 / p95 ms | main thread ms / move | JS heap MB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((row) =>
      `| ${row.count} | ${f1(row.zoomCpu)} | **${f2(ratio(row, 'zoomCpu'))}** | ${f1(row.panCpu)} | **${f2(ratio(row, 'panCpu'))}** | ${f1(row.zoomP50)} / ${f1(row.zoomP95)} | ${f1(row.panP50)} / ${f1(row.panP95)} | ${f1(row.moveP50)} / ${f1(row.moveP95)} | ${f2(row.moveMs)} | ${f1(row.heap)} |`),
    '',
    `Goal: a frame's cost with 500 tokens ÷ 0 tokens ≤ 1.3, with 1,000 ≤ 1.6 (ratios from this one run). Wall-clock ratios`,
    `(zoom p50): ${rows.map((row) => `${row.count}: ${f2(ratio(row, 'zoomP50'))}`).join(', ')}.`,
    '',
    '![cost of a frame by token count](client-frames.svg)',
    '',
    ...profileLines(rows),
  ];
  return lines.join('\n');
}

function profileLines(rows) {
  const profiled = rows.filter((row) => row.profile);
  if (!profiled.length) return [];
  const per = (row, key) => f1(row.profile[key] / Math.max(1, row.profile.frames));
  return [
    "## Where a zooming frame's time goes (Chromium trace, ms per frame)",
    '',
    '| tokens | frames traced | page JavaScript | GPU process (SwiftShader) | page main thread waiting in Commit |',
    '|---:|---:|---:|---:|---:|',
    ...profiled.map((row) => `| ${row.count} | ${row.profile.frames} | ${per(row, 'js')} | ${per(row, 'gpu')} | ${per(row, 'commit')} |`),
    '',
  ];
}

function svg(rows) {
  const width = 640;
  const height = 360;
  const pad = { left: 56, right: 150, top: 24, bottom: 44 };
  const series = [
    ['zoom, CPU/frame', 'zoomCpu', '#1e88e5'],
    ['pan, CPU/frame', 'panCpu', '#43a047'],
    ['zoom p50 (wall)', 'zoomP50', '#90caf9'],
    ['pan p50 (wall)', 'panP50', '#a5d6a7'],
  ];
  const maxX = Math.max(...rows.map((row) => row.count), 1);
  const values = rows.flatMap((row) => series.map(([, key]) => row[key]).filter((v) => v !== null && !Number.isNaN(v)));
  const maxY = Math.max(...values, 1) * 1.1;
  const x = (v) => pad.left + (v / maxX) * (width - pad.left - pad.right);
  const y = (v) => height - pad.bottom - (v / maxY) * (height - pad.top - pad.bottom);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<line x1="${pad.left}" y1="${y(0)}" x2="${x(maxX)}" y2="${y(0)}" stroke="#333"/>`,
    `<line x1="${pad.left}" y1="${y(0)}" x2="${pad.left}" y2="${pad.top}" stroke="#333"/>`,
    `<text x="${(pad.left + x(maxX)) / 2}" y="${height - 8}" text-anchor="middle">tokens on the scene</text>`,
    `<text x="14" y="${(pad.top + y(0)) / 2}" transform="rotate(-90 14 ${(pad.top + y(0)) / 2})" text-anchor="middle">ms per frame</text>`,
    `<text x="${pad.left}" y="16">${escapeXml(LABEL)}: frame time by token count (headless Chromium, software WebGL)</text>`,
  ];
  for (const row of rows) parts.push(`<text x="${x(row.count)}" y="${y(0) + 16}" text-anchor="middle">${row.count}</text>`);
  for (let i = 0; i <= 4; i++) {
    const v = (maxY / 4) * i;
    parts.push(`<text x="${pad.left - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(0)}</text>`);
    parts.push(`<line x1="${pad.left}" y1="${y(v)}" x2="${x(maxX)}" y2="${y(v)}" stroke="#eee"/>`);
  }
  series.forEach(([name, key, colour], index) => {
    const points = rows.filter((row) => row[key] !== null && !Number.isNaN(row[key])).map((row) => `${x(row.count).toFixed(1)},${y(row[key]).toFixed(1)}`);
    if (points.length) parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const point of points) parts.push(`<circle cx="${point.split(',')[0]}" cy="${point.split(',')[1]}" r="3" fill="${colour}"/>`);
    parts.push(`<rect x="${width - pad.right + 14}" y="${pad.top + index * 18}" width="12" height="3" fill="${colour}"/>`);
    parts.push(`<text x="${width - pad.right + 32}" y="${pad.top + index * 18 + 5}">${name}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

const escapeXml = (text) => text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]);

async function environmentLine(browser) {
  const os = await import('node:os');
  const cpus = os.cpus();
  return `${cpus.length} vCPU ${cpus[0]?.model?.trim() ?? ''}, Linux ${os.release()}, Node ${process.version}, Chromium ${browser.version()}, load average at start ${os.loadavg()[0].toFixed(2)}`;
}

const cleanups = [];
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    process.exit(130);
  });
}

async function main() {
  const started = Date.now();
  const startedAt = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  let node;
  let browser;
  let setup;
  try {
    log(`starting a node from ${args.jar ?? 'verticles/target/vertable.jar'}`);
    node = await startNode();
    cleanups.push(() => stopNode(node));
    setup = await setUpRoom(node);
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    const environment = await environmentLine(browser);
    const browserCdp = await browser.newBrowserCDPSession();
    const rows = [];
    mkdirSync(OUT, { recursive: true });
    for (const count of COUNTS) {
      log(`measuring ${count} tokens`);
      rows.push(await measure(browser, browserCdp, node, setup, count));
    }
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'client-report.md'), report(rows, environment, startedAt, (Date.now() - started) / 1000));
    writeFileSync(join(OUT, 'client-frames.svg'), svg(rows));
    writeFileSync(join(OUT, 'client-results.json'), JSON.stringify({ label: LABEL, startedAt, environment, rows }, null, 2));
    log(`report: ${join(OUT, 'client-report.md')}`);
  } finally {
    setup?.socket.close();
    await browser?.close();
    await stopNode(node);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
