// @ts-check
// Small SVG charts for the reports: grouped bars over categories, and horizontal bars. They draw into a
// container element (text only, never markup).
const NS = 'http://www.w3.org/2000/svg';
/** @param {string} tag @param {Record<string, string | number>} [attrs] @param {string} [text] */
function el(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}
/** A top for the axis that splits into four round steps (1, 2 or 5 times a power of ten). @param {number} v */
function niceMax(v) {
  const raw = Math.max(1, v) / 4;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = /** @type {number} */ ([1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw));
  return Math.max(4, Math.ceil(step) * 4);
}

/**
 * @param {HTMLElement} container
 * @param {{ label?: string, categories: string[], series: { name: string, color: string, values: number[] }[] }} spec
 */
export function groupedBars(container, spec) {
  const width = Math.max(container.clientWidth || 640, 360);
  const height = 240;
  const m = { top: 14, right: 12, bottom: 42, left: 40 };
  const iw = width - m.left - m.right;
  const ih = height - m.top - m.bottom;
  const max = niceMax(Math.max(1, ...spec.series.flatMap((s) => s.values)));
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': spec.label || 'chart' });
  for (let i = 0; i <= 4; i++) {
    const y = m.top + ih - (ih * i) / 4;
    svg.appendChild(el('line', { x1: m.left, x2: width - m.right, y1: y, y2: y, class: i ? 'grid' : 'axis' }));
    svg.appendChild(el('text', { x: m.left - 6, y: y + 4, class: 'tick', 'text-anchor': 'end' }, String(Math.round((max * i) / 4))));
  }
  const n = spec.categories.length || 1;
  const band = iw / n;
  const inner = Math.min(band * 0.78, 26 * spec.series.length + 8);
  const bw = inner / spec.series.length;
  const every = Math.ceil(n / Math.max(1, Math.floor(iw / 70)));
  spec.categories.forEach((c, i) => {
    const x0 = m.left + band * i + (band - inner) / 2;
    spec.series.forEach((s, j) => {
      const v = s.values[i] || 0;
      const bh = (ih * v) / max;
      const r = el('rect', { x: x0 + j * bw + 1, y: m.top + ih - bh, width: Math.max(1, bw - 2), height: bh, fill: s.color, rx: 2 });
      r.appendChild(el('title', {}, `${c} · ${s.name}: ${v}`));
      svg.appendChild(r);
    });
    if (i % every === 0) svg.appendChild(el('text', { x: m.left + band * i + band / 2, y: height - m.bottom + 16, class: 'tick', 'text-anchor': 'middle' }, c.length > 18 ? c.slice(0, 17) + '…' : c));
  });
  let lx = m.left;
  for (const s of spec.series) {
    svg.appendChild(el('rect', { x: lx, y: height - 14, width: 10, height: 10, fill: s.color, rx: 2 }));
    const t = el('text', { x: lx + 14, y: height - 5, class: 'legend' }, s.name);
    svg.appendChild(t);
    lx += 24 + s.name.length * 6.4;
  }
  container.textContent = '';
  container.appendChild(svg);
}

/**
 * @param {HTMLElement} container
 * @param {{ label: string, value: number }[]} items
 * @param {string} color
 */
export function hBars(container, items, color) {
  const width = Math.max(container.clientWidth || 320, 260);
  const row = 24;
  const labelW = 116;
  const height = items.length * row + 8;
  const max = Math.max(1, ...items.map((i) => i.value));
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img' });
  items.forEach((it, i) => {
    const y = 4 + i * row;
    const w = ((width - labelW - 40) * it.value) / max;
    svg.appendChild(el('text', { x: labelW - 8, y: y + 15, class: 'tick', 'text-anchor': 'end' }, it.label));
    svg.appendChild(el('rect', { x: labelW, y: y + 4, width: Math.max(it.value ? 2 : 0, w), height: row - 9, fill: color, rx: 2 }));
    svg.appendChild(el('text', { x: labelW + w + 6, y: y + 15, class: 'value' }, String(it.value)));
  });
  container.textContent = '';
  container.appendChild(svg);
}


