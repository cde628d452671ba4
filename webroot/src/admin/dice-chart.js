// Dice statistics as inline SVG (no chart library): a d20 face histogram with its fair-die line, and each die's
// average against the expected (faces + 1) / 2. Text goes in through textContent only.
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Bars of how often each face of a d20 came up; the dashed line is what a fair die would average. */
export function d20Histogram(d20) {
  const faces = Array.from({ length: 20 }, (_, i) => Number(d20?.faces?.[String(i + 1)] ?? 0));
  const count = faces.reduce((a, b) => a + b, 0);
  const expected = count / 20;
  const width = 420;
  const height = 160;
  const pad = { left: 28, right: 8, top: 12, bottom: 22 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const top = Math.max(1, ...faces, expected);
  const barW = plotW / 20;
  const y = (v) => pad.top + plotH - (v / top) * plotH;

  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'data-testid': 'd20-chart' });
  chart.append(svg('title', {}, `d20 faces over ${count} rolls; a fair die would give about ${expected.toFixed(1)} each`));
  chart.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: y(0), y2: y(0), class: 'axis' }));
  chart.append(svg('text', { x: pad.left - 4, y: y(top) + 4, 'text-anchor': 'end', class: 'tick' }, String(Math.round(top))));
  chart.append(svg('text', { x: pad.left - 4, y: y(0), 'text-anchor': 'end', class: 'tick' }, '0'));
  faces.forEach((n, i) => {
    const x = pad.left + i * barW;
    const kind = i === 0 ? 'bar nat1' : i === 19 ? 'bar nat20' : 'bar';
    const bar = svg('rect', { x: x + 1, y: y(n), width: Math.max(1, barW - 2), height: y(0) - y(n), class: kind, 'data-face': i + 1, 'data-count': n });
    bar.append(svg('title', {}, `${i + 1}: ${n}`));
    chart.append(bar);
    if (i === 0 || (i + 1) % 5 === 0) chart.append(svg('text', { x: x + barW / 2, y: height - 6, 'text-anchor': 'middle', class: 'tick' }, String(i + 1)));
  });
  if (count) chart.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: y(expected), y2: y(expected), class: 'expected' }));
  return chart;
}

/** One row per die size: the average rolled (bar) and the fair average (tick), on a scale of 1…faces. */
export function averagesChart(dice) {
  const rows = Object.entries(dice ?? {})
    .map(([faces, stat]) => ({ faces: Number(faces), count: stat.count ?? 0, average: stat.count ? stat.sum / stat.count : 0 }))
    .filter((row) => row.faces > 0 && row.count > 0)
    .sort((a, b) => a.faces - b.faces);
  const width = 420;
  const rowH = 22;
  const left = 70;
  const right = 84;
  const height = Math.max(1, rows.length) * rowH + 8;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'data-testid': 'averages-chart' });
  chart.append(svg('title', {}, 'Average roll per die against the fair average'));
  const plot = width - left - right;
  rows.forEach((row, i) => {
    const yTop = 4 + i * rowH;
    const scale = (v) => left + ((v - 1) / Math.max(1, row.faces - 1)) * plot;
    const expected = (row.faces + 1) / 2;
    chart.append(svg('text', { x: left - 6, y: yTop + 14, 'text-anchor': 'end', class: 'label' }, `d${row.faces} ×${row.count}`));
    chart.append(svg('rect', { x: left, y: yTop + 4, width: plot, height: 12, class: 'track' }));
    chart.append(svg('rect', { x: left, y: yTop + 4, width: Math.max(1, scale(row.average) - left), height: 12, class: row.average >= expected ? 'bar above' : 'bar below', 'data-die': row.faces }));
    chart.append(svg('line', { x1: scale(expected), x2: scale(expected), y1: yTop + 1, y2: yTop + 19, class: 'expected' }));
    chart.append(svg('text', { x: width - right + 6, y: yTop + 14, class: 'label' }, `${row.average.toFixed(2)} / ${expected.toFixed(1)}`));
  });
  return chart;
}
