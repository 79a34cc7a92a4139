import {
  benchChart,
  escapeXml,
  logDomain,
  logPosition,
  renderChart,
  shortNumber,
} from '../../../bench/chart.js';
import type { FlowPoint } from '../../../bench/summary.js';

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

function point(scenario: string, concurrency: number, opsPerSecond: number, p50Ms: number): FlowPoint {
  return {
    scenario,
    concurrency,
    ops: 10,
    errors: 0,
    p50Ms,
    p99Ms: p50Ms * 2,
    opsPerSecond,
    usdPerMillionOps: 1,
  };
}

describe('Function: escapeXml', () => {
  it('escapes every character with a meaning in XML', () => {
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });
});

describe('Function: logDomain', () => {
  it('returns the powers of ten around the values', () => {
    expect(logDomain([0.85, 52])).toEqual([0.1, 100]);
  });

  it('returns at least one decade for a single value on a power of ten', () => {
    expect(logDomain([10])).toEqual([10, 100]);
  });

  it('ignores values that cannot go on a log axis', () => {
    expect(logDomain([0, -3, Number.NaN, Number.POSITIVE_INFINITY, 5])).toEqual([1, 10]);
  });

  it('returns [1, 10] with nothing to show', () => {
    expect(logDomain([])).toEqual([1, 10]);
  });
});

describe('Function: logPosition', () => {
  it('places each decade an equal share of the width', () => {
    const domain: [number, number] = [1, 100];
    expect([1, 10, 100].map((value) => logPosition(value, domain, 200))).toEqual([0, 100, 200]);
  });

  it('clamps values outside the domain and puts non-positive ones at the start', () => {
    const domain: [number, number] = [1, 100];
    expect([1_000, 0.1, 0, -1].map((value) => logPosition(value, domain, 200))).toEqual([200, 0, 0, 0]);
  });
});

describe('Function: shortNumber', () => {
  it.each([
    [0.5, '0.5'],
    [0.846, '0.85'],
    [12.34, '12.3'],
    [100, '100'],
    [1_500, '1.5k'],
    [3_400_000, '3.4M'],
  ])('shortNumber(%s) is %s', (value, text) => {
    expect(shortNumber(value)).toBe(text);
  });
});

describe('Function: renderChart', () => {
  it('draws one bar per positive value and a dash for each missing one', () => {
    // Arrange
    const spec = {
      title: 'T',
      levels: [1, 16],
      panels: [
        {
          title: 'P',
          unit: '/s',
          rows: [
            {
              label: 'a',
              values: new Map([
                [1, 5],
                [16, 50],
              ]),
            },
            { label: 'b', values: new Map([[1, 0]]) },
          ],
        },
      ],
    };

    // Act
    const svg = renderChart(spec);

    // Assert
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(count(svg, /<rect [^>]*><title>/g)).toBe(2);
    expect(count(svg, /class="value">–</g)).toBe(2);
  });

  it('draws the longer bar for the larger value', () => {
    // Arrange
    const svg = renderChart({
      title: 'T',
      levels: [1],
      panels: [
        {
          title: 'P',
          unit: '',
          rows: [
            { label: 'small', values: new Map([[1, 2]]) },
            { label: 'large', values: new Map([[1, 200]]) },
          ],
        },
      ],
    });

    // Act
    const widths = [...svg.matchAll(/<rect x="\d+" y="[\d.]+" width="([\d.]+)" height="9"/g)].map((match) =>
      Number(match[1]),
    );

    // Assert
    expect(widths).toHaveLength(2);
    expect(widths[1]).toBeGreaterThan(widths[0] ?? Number.POSITIVE_INFINITY);
  });

  it('escapes labels and titles', () => {
    const svg = renderChart({
      title: 'a < b',
      levels: [1],
      panels: [{ title: 'x & y', unit: '', rows: [{ label: '<flow>', values: new Map([[1, 1]]) }] }],
    });
    expect(svg).toContain('a &lt; b');
    expect(svg).toContain('x &amp; y');
    expect(svg).toContain('&lt;flow&gt;');
    expect(svg).not.toContain('<flow>');
  });

  it('names the chart in a title element right under the root, for screen readers', () => {
    const svg = renderChart({ title: 'Flows & levels', levels: [1], panels: [] });
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*>\n<title>Flows &amp; levels<\/title>\n/);
  });

  it('opens and closes every element it opens', () => {
    const svg = renderChart({
      title: 'T',
      subtitle: 'S',
      levels: [1, 16, 64],
      panels: [
        {
          title: 'P',
          unit: '',
          rows: [
            {
              label: 'a',
              values: new Map([
                [1, 1],
                [16, 2],
                [64, 3],
              ]),
            },
          ],
        },
      ],
    });
    for (const tag of ['svg', 'text', 'title', 'style']) {
      expect(count(svg, new RegExp(`<${tag}[ >]`, 'g'))).toBe(count(svg, new RegExp(`</${tag}>`, 'g')));
    }
  });
});

describe('Function: benchChart', () => {
  it('puts the raw baseline first in the throughput panel and each flow in both panels', () => {
    // Arrange
    const points = [point('topups', 1, 4, 228), point('topups', 16, 7, 581), point('reads', 1, 33, 22)];
    const raw = new Map([
      [1, 47],
      [16, 52],
    ]);

    // Act
    const svg = benchChart(points, raw, 'subtitle');

    // Assert
    const labels = [...svg.matchAll(/class="label">([^<]+)</g)].map((match) => match[1]);
    expect(labels).toEqual(['raw 2-item TransactWriteItems', 'topups', 'reads', 'topups', 'reads']);
    expect(count(svg, /<rect [^>]*><title>/g)).toBe(2 + 3 + 3);
    expect(svg).toContain('c=16');
  });
});
