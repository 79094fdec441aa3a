// Stacked bar charts as inline SVG, drawn with DOM calls (no library, nothing inline for the CSP to refuse).
// Colours come from the style sheet through the series' class names.

import { h, s, uid } from './dom.js';

const W = 560;
const H = 170;
const PAD = { left: 40, right: 8, top: 10, bottom: 24 };

function niceMax(max) {
  if (max <= 4) return 4;
  const pow = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= max) return m * pow;
  return 10 * pow;
}

function clock(epochSeconds, withDate) {
  const d = new Date(epochSeconds * 1000);
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', ...(withDate ? { day: 'numeric', month: 'short' } : {}) });
}

/**
 * opts: {title, starts: [epoch seconds], bucketSeconds, series: [{label, values, className}]}. The figure's
 * text alternative sums each series; each bar has a tooltip with its counts.
 */
export function stackedBars({ title, starts, bucketSeconds, series }) {
  const n = starts.length;
  const totals = series.map((ser) => ser.values.reduce((a, b) => a + b, 0));
  const stacked = starts.map((_, i) => series.reduce((sum, ser) => sum + (ser.values[i] || 0), 0));
  const max = niceMax(Math.max(0, ...stacked));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const barW = plotW / Math.max(1, n);
  const y = (v) => PAD.top + plotH - (v / max) * plotH;
  const titleId = uid('chart');
  const summary = series.map((ser, i) => `${ser.label}: ${totals[i]}`).join(', ');
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-labelledby': titleId,
  });
  svg.append(s('title', { id: titleId, text: `${title}. ${summary}` }));
  for (const frac of [0, 0.5, 1]) {
    const v = max * frac;
    svg.append(s('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }),
      s('text', { x: PAD.left - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end', text: String(v) }));
  }
  starts.forEach((start, i) => {
    let base = 0;
    const g = s('g', {});
    const parts = [];
    series.forEach((ser) => {
      const v = ser.values[i] || 0;
      parts.push(`${ser.label} ${v}`);
      if (v > 0) {
        g.append(s('rect', { x: PAD.left + i * barW + barW * 0.1, width: Math.max(1, barW * 0.8), y: y(base + v),
          height: y(base) - y(base + v), class: ser.className }));
      }
      base += v;
    });
    // A transparent full-height target so every bucket has a tooltip, even an empty one.
    g.append(s('rect', { x: PAD.left + i * barW, width: barW, y: PAD.top, height: plotH, class: 'hit' },
      s('title', { text: `${clock(start, bucketSeconds > 600)}: ${parts.join(', ')}` })));
    svg.append(g);
  });
  const labelAt = [0, Math.floor(n / 2), n - 1].filter((v, i, a) => v >= 0 && a.indexOf(v) === i);
  labelAt.forEach((i) => {
    svg.append(s('text', { x: PAD.left + i * barW + barW / 2, y: H - 6, class: 'axis',
      'text-anchor': i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle', text: clock(starts[i], bucketSeconds > 600) }));
  });
  return h('figure', { class: 'chart-figure' },
    h('figcaption', {}, h('strong', {}, title), ' ',
      h('span', { class: 'legend' }, series.map((ser, i) => h('span', { class: 'legend-item' },
        h('span', { class: ['swatch', ser.className], 'aria-hidden': 'true' }), `${ser.label} ${totals[i]}`)))),
    svg);
}
