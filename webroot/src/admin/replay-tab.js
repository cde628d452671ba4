// Replay: a scrubber over the room's log. The timeline lists every event; the canvas shows the map right after
// the chosen one. Scrubbing is debounced, answers that arrive late are dropped, play steps one event at a time.
import { api } from '../common/api.js';
import { el, formatDateTime, statusLine } from '../common/dom.js';
import { explain } from '../common/errors.js';
import { drawView, shownScene } from './replay-canvas.js';
import { replaySource } from './replay-state.js';

const PAGE = 5000; // the server's most events per range answer
const MAX_EVENTS = 50_000;
const SCRUB_DEBOUNCE_MS = 150;
const PLAY_STEP_MS = 700;

export function replayTab({ roomId }) {
  return {
    id: 'replay',
    label: 'Replay',
    mount(panel) {
      const status = statusLine('replay-status');
      const mapStatus = statusLine('replay-map-status');
      const slider = el('input', { type: 'range', min: 0, max: 0, value: 0, step: 1, 'aria-label': 'Point in the room’s history', testid: 'replay-slider', class: 'scrubber' });
      const position = el('p', { class: 'replay-position', testid: 'replay-position', 'aria-live': 'polite' });
      const canvas = el('canvas', { testid: 'replay-canvas', role: 'img', 'aria-label': 'The map at this point' });
      const list = el('ol', { class: 'event-list', testid: 'replay-events' });
      const source = el('p', { class: 'hint', testid: 'replay-source' });
      const button = (label, testid, onclick, title) => el('button', { type: 'button', testid, onclick, title, 'aria-label': title }, label);
      const play = button('▶ Play', 'replay-play', () => (timer ? pause() : start()), 'Play');
      const controls = el(
        'div',
        { class: 'replay-controls row-actions' },
        button('|◀', 'replay-first', () => jump(0), 'Jump to the start'),
        button('◀ 1', 'replay-back', () => jump(current - 1), 'One event back'),
        play,
        button('1 ▶', 'replay-forward', () => jump(current + 1), 'One event forward'),
        button('▶|', 'replay-last', () => jump(last()), 'Jump to the end'),
      );
      panel.append(
        el('div', { class: 'card' }, el('h2', {}, 'Replay'), status.node, controls, slider, position, el('div', { class: 'replay-stage' }, canvas), mapStatus.node, source),
        el('div', { class: 'card' }, el('h3', {}, 'Timeline'), list),
      );

      let events = [];
      let names = new Map();
      let stateAt = null;
      let current = 0;
      let timer = null;
      let debounce = null;
      let asked = 0; // the newest request; older answers are stale
      let lastView = null;
      const images = new Map();

      const last = () => (events.length ? events.at(-1).seq : 0);

      async function load() {
        status.loading('Loading the room’s log…');
        try {
          const [loaded, members] = await Promise.all([loadEvents(), api.get(`/api/rooms/${encodeURIComponent(roomId)}/members`).catch(() => ({ members: [] }))]);
          events = loaded.events;
          names = new Map(members.members.map((m) => [m.userId, m.displayName]));
          stateAt = replaySource(roomId);
          slider.max = String(last());
          list.replaceChildren(...events.map(eventItem));
          panel.dataset.events = String(events.length);
          if (!events.length) {
            status.info('Nothing has happened in this room yet — open the table, make a scene and come back.');
            controls.hidden = slider.hidden = true;
          } else {
            status.info(loaded.truncated ? `Showing the first ${events.length} events (the log is longer).` : `${events.length} events.`);
            controls.hidden = slider.hidden = false;
          }
          jump(last(), true);
        } catch (error) {
          status.error(`The log could not be loaded. ${explain(error)}`);
        }
      }

      async function loadEvents() {
        const all = [];
        for (let from = 1; all.length < MAX_EVENTS; ) {
          const page = await api.get(`/api/rooms/${encodeURIComponent(roomId)}/events?from=${from}&to=${from + PAGE - 1}`);
          all.push(...page.events);
          if (!page.truncated && page.events.length < PAGE) return { events: all, truncated: false };
          if (!page.events.length) break;
          from = page.events.at(-1).seq + 1;
        }
        return { events: all, truncated: true };
      }

      function eventItem(event) {
        return el(
          'li',
          { testid: 'replay-event', dataset: { seq: event.seq, type: event.type } },
          el(
            'button',
            { type: 'button', class: 'event-button', onclick: () => { pause(); jump(event.seq, true); } },
            el('span', { class: 'event-seq' }, `#${event.seq}`),
            el('span', { class: 'event-type' }, describeType(event)),
            el('span', { class: 'muted' }, `${actorName(event.actor)} · ${formatDateTime(event.ts)}`),
          ),
        );
      }

      function actorName(actor) {
        if (!actor) return 'the server';
        return names.get(actor) ?? `user ${actor.slice(0, 6)}`;
      }

      /** Moves the point in time; `now` skips the debounce (buttons, clicks), scrubbing waits for the hand to rest. */
      function jump(seq, now = true) {
        current = Math.max(0, Math.min(last(), seq));
        slider.value = String(current);
        describePosition();
        clearTimeout(debounce);
        if (now) show(current);
        else debounce = setTimeout(() => show(current), SCRUB_DEBOUNCE_MS);
        if (current >= last()) pause();
      }

      function describePosition() {
        const event = events.find((e) => e.seq === current);
        position.textContent = event ? `After event ${event.seq} of ${last()}: ${describeType(event)} by ${actorName(event.actor)}, ${formatDateTime(event.ts)}` : `Before the first event (${last()} in all)`;
        position.dataset.seq = String(current);
        for (const item of list.children) item.classList.toggle('current', Number(item.dataset.seq) === current);
        keepInSight(list, list.querySelector('.current'));
      }

      async function show(seq) {
        if (!stateAt) return;
        const ticket = ++asked;
        mapStatus.loading('Rebuilding the map…');
        try {
          const { view, source: from } = await stateAt(seq);
          if (ticket !== asked) return;
          lastView = view;
          drawView(canvas, view, images);
          loadBackground(shownScene(view));
          canvas.dataset.seq = String(seq);
          mapStatus.clear();
          source.textContent = from === 'server' ? 'Map as the server rebuilt it from the log.' : '';
          source.dataset.source = from;
        } catch (error) {
          if (ticket === asked) mapStatus.error(`The map at this point could not be rebuilt. ${explain(error)}`);
        }
      }

      /** Scene images are assets behind the Bearer header; drawn once loaded. A missing one leaves the plain map. */
      async function loadBackground(scene) {
        const id = scene?.image;
        if (!id || images.has(id)) return;
        images.set(id, null);
        try {
          const response = await api.get(`/api/assets/${encodeURIComponent(id)}`, { raw: true });
          images.set(id, await createImageBitmap(await response.blob()));
          if (lastView) drawView(canvas, lastView, images);
        } catch {
          // No such image (or no asset routes here): the map colour stands in.
        }
      }

      function start() {
        if (current >= last()) jump(0);
        play.textContent = '⏸ Pause';
        play.setAttribute('aria-label', 'Pause');
        timer = setInterval(() => jump(current + 1), PLAY_STEP_MS);
      }

      function pause() {
        clearInterval(timer);
        timer = null;
        play.textContent = '▶ Play';
        play.setAttribute('aria-label', 'Play');
      }

      slider.addEventListener('input', () => {
        pause();
        jump(Number(slider.value), false);
      });
      window.addEventListener('resize', () => lastView && drawView(canvas, lastView, images));

      load();
      return {
        shown: () => lastView && drawView(canvas, lastView, images),
      };
    },
  };
}

/** Scrolls only the timeline (not the page) so the current event shows while playing. */
function keepInSight(list, item) {
  if (!item) return;
  const top = item.offsetTop;
  if (top < list.scrollTop || top + item.offsetHeight > list.scrollTop + list.clientHeight) {
    list.scrollTop = top - list.clientHeight / 2;
  }
}

const TYPE_WORDS = {
  'scene.created': 'scene created',
  'scene.updated': 'scene changed',
  'scene.activated': 'scene shown to players',
  'token.created': 'token placed',
  'token.moved': 'token moved',
  'token.updated': 'token changed',
  'token.hidden': 'token hidden',
  'token.revealed': 'token revealed',
  'token.removed': 'token removed',
  'fog.revealed': 'fog revealed',
  'fog.covered': 'fog covered',
  'fog.reset': 'fog reset',
  'drawing.created': 'drawing',
  'drawing.removed': 'drawing removed',
  'chat.message': 'chat message',
};

function describeType(event) {
  const words = TYPE_WORDS[event.type] ?? event.type;
  const name = event.data?.name;
  return name ? `${words} (${name})` : words;
}
