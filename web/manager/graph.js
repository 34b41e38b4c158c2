// @ts-check
// A flow's states and transitions as SVG: columns by distance from the start state, and above them one
// "any state" box whose dashed arrows are the script-wide transitions (the flow-level `on:`), which apply
// in every state. A transition to a state that does not exist is a red stub the manager cannot miss.
import { html } from '../build/preact.js';
import { label, t } from '../shared/i18n.js';

const W = 150;
/** Box height: one line (the state), or two with the per-step figures under it. */
const H_PLAIN = 34;
const H_STEPS = 50;
const GAP_X = 64;
const GAP_Y = 20;
const PAD = 24;
/** Room above the columns for the "any state" box and its arrows. */
const BAND = 92;

/**
 * @typedef {{ reached: number, dropped: number, waiting: number, handedOff: number, handoffReasons?: Record<string, number> }} StepFigures
 * @typedef {{ id: string, layer: number, row: number, kind: 'start' | 'state' | 'end' | 'handoff', errors: number, origin?: 'inherited' | 'overridden' | 'added' }} GraphNode
 * @typedef {{ from: string, to: string, on: string[], shared: boolean }} GraphEdge
 * @typedef {{ base: string, baseVersion: number, flowKeys: string[], phrases: string[], sharedTriggers: string[], overridden: { state: string, keys: string[], triggers: string[] }[], added: string[], removed: string[], inherited: number }} GraphInheritance
 * @typedef {{ start?: string, nodes: GraphNode[], edges: GraphEdge[], missing: string[], inheritance?: GraphInheritance }} FlowGraph
 */

/** @param {string[]} on */
function short(on) {
  const s = on.map((e) => label('flowEvent', e)).join(', ');
  return s.length > 26 ? s.slice(0, 25) + '…' : s;
}

/**
 * @param {{ graph: FlowGraph | null, onPick: (state: string) => void, steps?: Record<string, StepFigures> }} props
 * `steps`: the per-step figures of a version, drawn under each state's name (states nobody reached show 0).
 */
export function FlowGraph({ graph, onPick, steps }) {
  if (!graph || !graph.nodes.length) return html`<div class="empty">${t('graph.empty')}</div>`;
  const H = steps ? H_STEPS : H_PLAIN;
  const zero = { reached: 0, dropped: 0, waiting: 0, handedOff: 0 };
  const shared = graph.edges.filter((e) => e.shared);
  const top = PAD + (shared.length ? BAND : 0);
  /** @type {Map<string, { x: number, y: number, n: GraphNode }>} */
  const pos = new Map();
  let maxRow = 0;
  let maxLayer = 0;
  for (const n of graph.nodes) {
    pos.set(n.id, { x: PAD + n.layer * (W + GAP_X), y: top + n.row * (H + GAP_Y), n });
    maxRow = Math.max(maxRow, n.row);
    maxLayer = Math.max(maxLayer, n.layer);
  }
  const width = PAD * 2 + (maxLayer + 1) * W + maxLayer * GAP_X;
  const height = top + PAD + (maxRow + 1) * H + maxRow * GAP_Y;

  const edges = [];
  const labels = [];
  for (const e of graph.edges) {
    if (e.shared) continue;
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a) continue;
    const key = `${e.from}>${e.to}`;
    if (!b) {
      const x1 = a.x + 16;
      const y1 = a.y;
      edges.push(html`<path key=${key} d=${`M${x1},${y1} v-10 h14`} class="edge bad" marker-end="url(#arrow-bad)" />`);
      labels.push(html`<text key=${key} x=${x1 + 18} y=${y1 - 6} class="edge-label bad">${e.on.join(', ')} → ${e.to}${t('graph.missing')}</text>`);
      continue;
    }
    let d;
    let lx;
    let ly;
    if (e.from === e.to) {
      const x = a.x + W - 24;
      const y = a.y;
      d = `M${x},${y} c0,-22 26,-22 20,0`;
      lx = x + 24;
      ly = y - 12;
    } else if (b.x > a.x) {
      const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
      d = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
      lx = mx;
      ly = (y1 + y2) / 2 - 3;
    } else {
      // Backwards (a loop back to an earlier state): route around the bottom of both boxes.
      const x1 = a.x + W / 2, y1 = a.y + H, x2 = b.x + W / 2 + 10, y2 = b.y + H;
      const dy = Math.max(y1, y2) + 26;
      d = `M${x1},${y1} C${x1},${dy} ${x2},${dy} ${x2},${y2}`;
      lx = (x1 + x2) / 2;
      ly = dy - 4;
    }
    edges.push(html`<path key=${key} d=${d} class="edge" marker-end="url(#arrow)" />`);
    labels.push(html`<text key=${key} x=${lx} y=${ly} class="edge-label" text-anchor="middle">${short(e.on)}<title>${e.from} → ${e.to}: ${e.on.join(', ')}</title></text>`);
  }

  // Script-wide transitions: from the "any state" box down to each target's top edge.
  const any = { x: PAD, y: PAD };
  const sharedEdges = shared.map((e, i) => {
    const b = pos.get(e.to);
    const x1 = any.x + W / 2;
    const y1 = any.y + H;
    if (!b) {
      return html`<g key=${'any>' + e.to} class="shared-edge bad" data-to=${e.to}>
        <path d=${`M${x1},${y1} v18`} class="edge shared bad" marker-end="url(#arrow-bad)" />
        <text x=${x1 + 6} y=${y1 + 30 + i * 12} class="edge-label bad">${e.on.join(', ')} → ${e.to}${t('graph.missing')}</text>
      </g>`;
    }
    const x2 = b.x + W / 2 + ((i % 3) - 1) * 18;
    const y2 = b.y;
    const d = `M${x1},${y1} C${x1},${y1 + 40} ${x2},${y2 - 40} ${x2},${y2}`;
    return html`<g key=${'any>' + e.to} class="shared-edge" data-to=${e.to}>
      <path d=${d} class="edge shared" marker-end="url(#arrow-shared)" />
      <text x=${x2} y=${y2 - 6} class="edge-label shared" text-anchor="middle">${short(e.on)}<title>${t('graph.anyTitle')}: ${e.on.join(', ')} → ${e.to}</title></text>
    </g>`;
  });

  return html`<div class="graph-wrap">
    <svg width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`} class="flow-graph" role="img" aria-label=${t('graph.aria')}>
      <defs>
        ${[
          ['arrow', '#8a96a8'],
          ['arrow-bad', '#b42318'],
          ['arrow-shared', '#7a5af8'],
        ].map(
          ([id, color]) => html`<marker key=${id} id=${id} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill=${color} /></marker>`,
        )}
      </defs>
      <g class="edges">${edges}</g>
      ${shared.length > 0 &&
      html`<g class="shared-edges" id="shared-edges">
        ${sharedEdges}
        <g class="node any" transform=${`translate(${any.x},${any.y})`} data-state="*">
          <rect width=${W} height=${H} rx="17" />
          <text x="12" y=${H / 2 + 4} class="node-label">${t('graph.any')}</text>
          <title>${t('graph.anyTitle')}</title>
        </g>
      </g>`}
      <g class="nodes">
        ${[...pos.values()].map(({ x, y, n }) => {
          const tag = n.kind === 'start' ? t('graph.start') : n.kind === 'end' ? t('graph.end') : n.kind === 'handoff' ? t('graph.officer') : '';
          const f = steps ? { ...zero, ...steps[n.id] } : null;
          const ty = f ? 18 : H / 2 + 4;
          // A state where many stop answering stands out: the place to change the words.
          const leaky = f && f.reached > 0 && f.dropped / f.reached >= 0.3;
          return html`<g key=${n.id} class=${`node ${n.kind}${n.origin ? ' origin-' + n.origin : ''}${n.errors ? ' has-errors' : ''}${f ? ' with-steps' : ''}${f && !f.reached ? ' unreached' : ''}${leaky ? ' leaky' : ''}`} transform=${`translate(${x},${y})`} tabindex="0" data-state=${n.id}
            data-origin=${n.origin}
            data-reached=${f?.reached} data-dropped=${f?.dropped} data-waiting=${f?.waiting} data-handed-off=${f?.handedOff}
            onClick=${() => onPick(n.id)} onKeyDown=${(/** @type {KeyboardEvent} */ ev) => ev.key === 'Enter' && onPick(n.id)}>
            <rect width=${W} height=${H} rx="6" />
            <text x="10" y=${ty} class="node-label">${n.id.length > 19 ? n.id.slice(0, 18) + '…' : n.id}</text>
            ${n.errors
              ? html`<text x=${W - 8} y=${ty} class="node-tag bad" text-anchor="end">${t('graph.err', { n: n.errors })}</text>`
              : tag && html`<text x=${W - 8} y=${ty} class="node-tag" text-anchor="end">${tag}</text>`}
            ${f &&
            html`<text x="10" y="38" class="node-steps">
              <tspan class="reached">${t('steps.reached', { n: f.reached })}</tspan>
              ${f.dropped > 0 && html`<tspan class="dropped" dx="6">${t('steps.dropped', { n: f.dropped })}</tspan>`}
              ${f.handedOff > 0 && html`<tspan class="handed" dx="6">${t('steps.handedOff', { n: f.handedOff })}</tspan>`}
            </text>`}
            <title>${n.origin ? `[${t(n.origin === 'inherited' ? 'inh.inherited' : n.origin === 'overridden' ? 'inh.override' : 'inh.new')}] ` : ''}${f ? t('steps.title', { state: `${n.id} · ${label('flowState', n.id)}`, reached: f.reached, dropped: f.dropped, waiting: f.waiting, handedOff: f.handedOff }) : `${n.id} · ${label('flowState', n.id)}`}</title>
          </g>`;
        })}
      </g>
      <g class="edge-labels">${labels}</g>
    </svg>
  </div>`;
}
