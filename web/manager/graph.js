// Draws a flow's states and transitions as SVG: columns by distance from the start state.
(function () {
  'use strict';
  const NS = 'http://www.w3.org/2000/svg';
  const W = 150, H = 34, GAP_X = 64, GAP_Y = 20, PAD = 24;

  function el(tag, attrs, text) {
    const e = document.createElementNS(NS, tag);
    for (const k of Object.keys(attrs || {})) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function short(list) {
    const s = list.join(', ');
    return s.length > 26 ? s.slice(0, 25) + '…' : s;
  }

  /** graph: {start, nodes:[{id, layer, row, kind, errors}], edges:[{from,to,on,shared}], missing}; onPick(stateId). */
  function drawGraph(container, graph, onPick) {
    container.textContent = '';
    if (!graph || !graph.nodes.length) {
      container.appendChild(window.Quanzu.h('div', { class: 'empty' }, 'No states to draw yet.'));
      return;
    }
    const pos = new Map();
    let maxRow = 0, maxLayer = 0;
    for (const n of graph.nodes) {
      pos.set(n.id, { x: PAD + n.layer * (W + GAP_X), y: PAD + n.row * (H + GAP_Y), n });
      maxRow = Math.max(maxRow, n.row);
      maxLayer = Math.max(maxLayer, n.layer);
    }
    const width = PAD * 2 + (maxLayer + 1) * W + maxLayer * GAP_X;
    const height = PAD * 2 + (maxRow + 1) * H + maxRow * GAP_Y;
    const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'flow-graph', role: 'img', 'aria-label': 'States and transitions' });
    const defs = el('defs');
    for (const [id, color] of [['arrow', '#8a96a8'], ['arrow-bad', '#b42318']]) {
      const m = el('marker', { id, viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' });
      m.appendChild(el('path', { d: 'M0,0 L10,5 L0,10 z', fill: color }));
      defs.appendChild(m);
    }
    svg.appendChild(defs);

    const edgeLayer = el('g', { class: 'edges' });
    const labelLayer = el('g', { class: 'edge-labels' });
    for (const e of graph.edges) {
      if (e.shared) continue;
      const a = pos.get(e.from), b = pos.get(e.to);
      if (!a) continue;
      if (!b) {
        // A transition to a state that does not exist: a red stub the manager cannot miss.
        // Drawn just above the box, so it never runs into the next column.
        const x1 = a.x + 16, y1 = a.y;
        edgeLayer.appendChild(el('path', { d: `M${x1},${y1} v-10 h14`, class: 'edge bad', 'marker-end': 'url(#arrow-bad)' }));
        const t = el('text', { x: x1 + 18, y: y1 - 6, class: 'edge-label bad' }, `${e.on.join(', ')} → ${e.to} (missing)`);
        labelLayer.appendChild(t);
        continue;
      }
      let d, lx, ly;
      if (e.from === e.to) {
        const x = a.x + W - 24, y = a.y;
        d = `M${x},${y} c0,-22 26,-22 20,0`;
        lx = x + 24; ly = y - 12;
      } else if (b.x > a.x) {
        const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
        d = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
        lx = mx; ly = (y1 + y2) / 2 - 3;
      } else {
        // Backwards (a loop back to an earlier state): route around the bottom of both boxes.
        const x1 = a.x + W / 2, y1 = a.y + H, x2 = b.x + W / 2 + 10, y2 = b.y + H;
        const dy = Math.max(y1, y2) + 26;
        d = `M${x1},${y1} C${x1},${dy} ${x2},${dy} ${x2},${y2}`;
        lx = (x1 + x2) / 2; ly = dy - 4;
      }
      edgeLayer.appendChild(el('path', { d, class: 'edge', 'marker-end': 'url(#arrow)' }));
      const t = el('text', { x: lx, y: ly, class: 'edge-label', 'text-anchor': 'middle' }, short(e.on));
      t.appendChild(el('title', {}, `${e.from} → ${e.to} on ${e.on.join(', ')}`));
      labelLayer.appendChild(t);
    }
    svg.appendChild(edgeLayer);

    const nodeLayer = el('g', { class: 'nodes' });
    for (const { x, y, n } of pos.values()) {
      const g = el('g', { class: `node ${n.kind}${n.errors ? ' has-errors' : ''}`, transform: `translate(${x},${y})`, tabindex: '0', 'data-state': n.id });
      g.appendChild(el('rect', { width: W, height: H, rx: 6 }));
      g.appendChild(el('text', { x: 10, y: H / 2 + 4, class: 'node-label' }, n.id.length > 19 ? n.id.slice(0, 18) + '…' : n.id));
      const tag = n.kind === 'start' ? 'start' : n.kind === 'end' ? 'end' : n.kind === 'handoff' ? 'officer' : '';
      if (n.errors) g.appendChild(el('text', { x: W - 8, y: H / 2 + 4, class: 'node-tag bad', 'text-anchor': 'end' }, `${n.errors} err`));
      else if (tag) g.appendChild(el('text', { x: W - 8, y: H / 2 + 4, class: 'node-tag', 'text-anchor': 'end' }, tag));
      g.appendChild(el('title', {}, n.id));
      g.addEventListener('click', () => onPick && onPick(n.id));
      g.addEventListener('keydown', (ev) => ev.key === 'Enter' && onPick && onPick(n.id));
      nodeLayer.appendChild(g);
    }
    svg.appendChild(nodeLayer);
    svg.appendChild(labelLayer);
    container.appendChild(svg);

    // Flow-level transitions apply in every state: listed once instead of an arrow from each box.
    const shared = graph.edges.filter((e) => e.shared);
    if (shared.length) {
      const { h } = window.Quanzu;
      container.appendChild(
        h('div', { class: 'shared-edges' },
          h('h3', null, 'From any state'),
          h('ul', null, shared.map((e) => h('li', null, h('span', { class: 'mono' }, e.on.join(', ')), ' → ', h('b', { class: pos.has(e.to) ? '' : 'bad' }, e.to)))),
        ),
      );
    }
  }

  window.QM = window.QM || {};
  window.QM.drawGraph = drawGraph;
})();
