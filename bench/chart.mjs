// The suite's bar chart as one SVG (bench/suite.mjs renders it in Chromium
// and saves a screenshot as PNG): panels of horizontal grouped bars, one
// bar per configuration, with reference and target lines.
//
//   barChartSvg({title, subtitle, series: [{id, label, color}], panels})
//   panel: {title, groups: [{label, values: {seriesId: number}}], lines: [{at, label, dash, color}],
//           format: (v) => string, max?: the axis end (longer bars are cut)}

const W = 980;            // total width
const LABEL_W = 250;      // group label column
const PLOT_W = 620;       // bar area
const BAR_H = 13, BAR_GAP = 2, GROUP_GAP = 12;
const FONT = 'font-family="DejaVu Sans, Arial, sans-serif"';

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One panel at vertical offset y0; returns {svg, height}. */
function panelSvg(panel, series, y0) {
  const out = [];
  const groups = panel.groups.filter((g) => series.some((s) => g.values[s.id] != null));
  const values = groups.flatMap((g) => series.map((s) => g.values[s.id]).filter((v) => v != null));
  const max = panel.max ?? Math.max(...values, ...(panel.lines || []).map((l) => l.at)) * 1.12;
  const x = (v) => LABEL_W + (Math.max(0, v) / max) * PLOT_W;
  out.push(`<text x="10" y="${y0 + 16}" font-size="14" font-weight="bold" ${FONT}>${esc(panel.title)}</text>`);
  let y = y0 + 28;
  const top = y;
  for (const g of groups) {
    const present = series.filter((s) => g.values[s.id] != null);
    const h = present.length * (BAR_H + BAR_GAP);
    out.push(`<text x="${LABEL_W - 8}" y="${y + h / 2 + 4}" font-size="12" text-anchor="end" ${FONT}>${esc(g.label)}</text>`);
    for (const s of present) {
      const v = g.values[s.id];
      // A bar beyond the axis (an outlier) is cut at its end; its label keeps the value.
      out.push(`<rect x="${LABEL_W}" y="${y}" width="${(x(Math.min(v, max)) - LABEL_W).toFixed(1)}" height="${BAR_H}" fill="${s.color}"` +
        `${v > max ? ' fill-opacity="0.6"' : ''}/>`);
      out.push(`<text x="${(x(Math.min(v, max)) + 4).toFixed(1)}" y="${y + BAR_H - 3}" font-size="10" ${FONT}>${esc(panel.format(v))}</text>`);
      y += BAR_H + BAR_GAP;
    }
    y += GROUP_GAP;
  }
  const bottom = y - GROUP_GAP + 4;
  out.push(`<line x1="${LABEL_W}" y1="${top - 4}" x2="${LABEL_W}" y2="${bottom}" stroke="#444"/>`);
  for (const [i, l] of (panel.lines || []).entries()) {
    if (l.at > max) continue;
    const lx = x(l.at).toFixed(1);
    const ly = bottom + 12 + (i % 2) * 11;  // alternate rows: close lines' labels do not overlap
    out.push(`<line x1="${lx}" y1="${top - 4}" x2="${lx}" y2="${bottom}" stroke="${l.color || '#888'}" stroke-width="1.5"` +
      `${l.dash ? ' stroke-dasharray="5,3"' : ''}/>`);
    out.push(`<text x="${lx}" y="${ly}" font-size="10" text-anchor="middle" fill="${l.color || '#555'}" ${FONT}>${esc(l.label)}</text>`);
  }
  return { svg: out.join('\n'), height: bottom + 36 - y0 };
}

/** The whole chart as an SVG string. */
export function barChartSvg({ title, subtitle, series, panels }) {
  const parts = [];
  parts.push(`<text x="10" y="22" font-size="17" font-weight="bold" ${FONT}>${esc(title)}</text>`);
  if (subtitle) parts.push(`<text x="10" y="40" font-size="11" fill="#444" ${FONT}>${esc(subtitle)}</text>`);
  // Legend.
  let lx = 10;
  for (const s of series) {
    parts.push(`<rect x="${lx}" y="50" width="12" height="12" fill="${s.color}"/>`);
    parts.push(`<text x="${lx + 16}" y="60" font-size="11" ${FONT}>${esc(s.label)}</text>`);
    lx += 30 + s.label.length * 6.2;
  }
  let y = 72;
  for (const p of panels) {
    const { svg, height } = panelSvg(p, series, y);
    parts.push(svg);
    y += height + 8;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${Math.ceil(y)}" viewBox="0 0 ${W} ${Math.ceil(y)}">` +
    `<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>`;
}
