/**
 * The report's chart, as a small standalone SVG written by hand (no charting dependency): one panel per
 * measure (throughput, p50 latency), one group of horizontal bars per flow, one bar per concurrency level,
 * on a log scale so that a flow at 1 op/s and the raw baseline at 1,000/s both read. Pure.
 */
import type { FlowPoint } from './summary.js';

export interface ChartRow {
  label: string;
  /** Value per concurrency level; missing or not positive: no bar, a dash. */
  values: ReadonlyMap<number, number>;
}

export interface ChartPanel {
  title: string;
  /** Short unit after each value: `/s`, ` ms`. */
  unit: string;
  rows: readonly ChartRow[];
}

export interface ChartSpec {
  title: string;
  subtitle?: string;
  /** Concurrency levels, in bar order (one color each). */
  levels: readonly number[];
  panels: readonly ChartPanel[];
}

const WIDTH = 860;
const LABEL_WIDTH = 200;
const VALUE_WIDTH = 70;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20;
const BAR_HEIGHT = 9;
const BAR_GAP = 2;
const GROUP_GAP = 9;
const PANEL_HEADER = 34;
const PANEL_FOOTER = 26;
const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#b07aa1'];

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/**
 * Powers of ten around the positive finite values: [10^⌊log min⌋, 10^⌈log max⌉], at least one decade wide;
 * [1, 10] when there is no such value.
 */
export function logDomain(values: readonly number[]): [number, number] {
  const usable = values.filter((value) => Number.isFinite(value) && value > 0);
  if (usable.length === 0) return [1, 10];
  const low = Math.floor(Math.log10(Math.min(...usable)));
  let high = Math.ceil(Math.log10(Math.max(...usable)));
  if (high <= low) high = low + 1;
  return [10 ** low, 10 ** high];
}

/** Position of `value` on a log axis of `width` pixels over `domain`, clamped to the axis. */
export function logPosition(value: number, domain: [number, number], width: number): number {
  const [low, high] = domain;
  if (!(value > 0)) return 0;
  const share = (Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low));
  return Math.min(width, Math.max(0, share * width));
}

/** 0.5, 12, 1.2k, 3.4M: a tick or value label. */
export function shortNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6) return `${trim(value / 1e6)}M`;
  if (magnitude >= 1e3) return `${trim(value / 1e3)}k`;
  return trim(value);
}

function trim(value: number): string {
  const magnitude = Math.abs(value);
  const text =
    magnitude >= 100 ? value.toFixed(0) : magnitude >= 10 ? value.toFixed(1) : value.toPrecision(2);
  return text.includes('.') && !text.includes('e') ? text.replace(/\.?0+$/, '') : text;
}

function panelHeight(panel: ChartPanel, levels: number): number {
  const group = levels * (BAR_HEIGHT + BAR_GAP) - BAR_GAP + GROUP_GAP;
  return PANEL_HEADER + panel.rows.length * group + PANEL_FOOTER;
}

function renderPanel(panel: ChartPanel, levels: readonly number[], top: number): string[] {
  const values = panel.rows.flatMap((row) => [...row.values.values()]);
  const domain = logDomain(values);
  const x0 = LABEL_WIDTH;
  const out: string[] = [`<text x="10" y="${top + 18}" class="panel">${escapeXml(panel.title)}</text>`];
  const plotTop = top + PANEL_HEADER;
  const group = levels.length * (BAR_HEIGHT + BAR_GAP) - BAR_GAP + GROUP_GAP;
  const plotBottom = plotTop + panel.rows.length * group - GROUP_GAP;
  for (let exponent = Math.log10(domain[0]); exponent <= Math.log10(domain[1]) + 1e-9; exponent += 1) {
    const tick = 10 ** exponent;
    const x = x0 + logPosition(tick, domain, PLOT_WIDTH);
    out.push(
      `<line x1="${x.toFixed(1)}" y1="${plotTop - 4}" x2="${x.toFixed(1)}" y2="${plotBottom + 4}" class="grid"/>`,
      `<text x="${x.toFixed(1)}" y="${plotBottom + 18}" class="tick">${escapeXml(shortNumber(tick))}</text>`,
    );
  }
  panel.rows.forEach((row, index) => {
    const groupTop = plotTop + index * group;
    const middle = groupTop + (levels.length * (BAR_HEIGHT + BAR_GAP) - BAR_GAP) / 2;
    out.push(
      `<text x="${x0 - 8}" y="${(middle + 4).toFixed(1)}" class="label">${escapeXml(row.label)}</text>`,
    );
    levels.forEach((level, position) => {
      const y = groupTop + position * (BAR_HEIGHT + BAR_GAP);
      const value = row.values.get(level);
      const color = COLORS[position % COLORS.length] ?? '#888';
      if (value === undefined || !(value > 0) || !Number.isFinite(value)) {
        out.push(`<text x="${x0 + 4}" y="${y + BAR_HEIGHT - 1}" class="value">–</text>`);
        return;
      }
      const width = Math.max(1, logPosition(value, domain, PLOT_WIDTH));
      out.push(
        `<rect x="${x0}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${color}"><title>${escapeXml(
          `${row.label}, c=${level}: ${shortNumber(value)}${panel.unit}`,
        )}</title></rect>`,
        `<text x="${(x0 + width + 4).toFixed(1)}" y="${y + BAR_HEIGHT - 1}" class="value">${escapeXml(
          `${shortNumber(value)}${panel.unit}`,
        )}</text>`,
      );
    });
  });
  return out;
}

/** The whole chart as an SVG document. */
export function renderChart(spec: ChartSpec): string {
  const headerHeight = spec.subtitle === undefined ? 52 : 68;
  const heights = spec.panels.map((panel) => panelHeight(panel, spec.levels.length));
  const height = headerHeight + heights.reduce((sum, h) => sum + h, 0) + 10;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" role="img">`,
    // Read out as the chart's name by screen readers (and required by biome's a11y rule on committed copies).
    `<title>${escapeXml(spec.title)}</title>`,
    '<style>.title{font-size:16px;font-weight:bold}.subtitle{font-size:11px;fill:#555}.panel{font-size:13px;font-weight:bold}.label{font-size:11px;text-anchor:end}.tick{font-size:10px;fill:#666;text-anchor:middle}.value{font-size:9px;fill:#333}.legend{font-size:11px}.grid{stroke:#ddd;stroke-width:1}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="22" class="title">${escapeXml(spec.title)}</text>`,
  ];
  if (spec.subtitle !== undefined) {
    out.push(`<text x="10" y="40" class="subtitle">${escapeXml(spec.subtitle)}</text>`);
  }
  const legendY = headerHeight - 12;
  spec.levels.forEach((level, position) => {
    const x = 10 + position * 90;
    out.push(
      `<rect x="${x}" y="${legendY - 9}" width="12" height="10" fill="${COLORS[position % COLORS.length] ?? '#888'}"/>`,
      `<text x="${x + 17}" y="${legendY}" class="legend">c=${level}</text>`,
    );
  });
  let top = headerHeight;
  spec.panels.forEach((panel, index) => {
    out.push(...renderPanel(panel, spec.levels, top));
    top += heights[index] ?? 0;
  });
  out.push('</svg>', '');
  return out.join('\n');
}

/**
 * The benchmark's chart: throughput and p50 latency of every flow at every level, with the raw baseline's
 * rate as the first throughput row.
 */
export function benchChart(
  points: readonly FlowPoint[],
  raw: ReadonlyMap<number, number>,
  subtitle: string,
): string {
  const levels = [...new Set([...points.map((point) => point.concurrency), ...raw.keys()])].sort(
    (a, b) => a - b,
  );
  const flows = [...new Set(points.map((point) => point.scenario))];
  const rowsOf = (measure: (point: FlowPoint) => number): ChartRow[] =>
    flows.map((flow) => ({
      label: flow,
      values: new Map(
        points.filter((point) => point.scenario === flow).map((point) => [point.concurrency, measure(point)]),
      ),
    }));
  return renderChart({
    title: 'Tween Payments on the local stack: every flow at each concurrency level',
    subtitle,
    levels,
    panels: [
      {
        title: 'Throughput: successful operations per second (log scale)',
        unit: '/s',
        rows: [
          ...(raw.size > 0 ? [{ label: 'raw 2-item TransactWriteItems', values: raw }] : []),
          ...rowsOf((point) => point.opsPerSecond),
        ],
      },
      { title: 'p50 latency in milliseconds (log scale)', unit: ' ms', rows: rowsOf((point) => point.p50Ms) },
    ],
  });
}
