export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Row {
  metric: string;
  unit: string;
  ours: number;
  emmett: number;
  /** Throughput: more is better. Latency: less is better. */
  higherIsBetter: boolean;
  target?: number;
}

const fmt = (n: number) => (Number.isNaN(n) ? 'n/a' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

/** "ours vs Emmett" is always oriented so that above 1 means ours is ahead. */
export function table(rows: Row[]): string {
  const lines = [['metric', 'ours', 'Emmett', 'ours vs Emmett', 'our target'].join(' | ')];
  for (const r of rows) {
    const ratio = r.higherIsBetter ? r.ours / r.emmett : r.emmett / r.ours;
    const target = r.target === undefined ? '' : `${r.higherIsBetter ? '≥' : '<'} ${fmt(r.target)} ${(r.higherIsBetter ? r.ours >= r.target : r.ours < r.target) ? 'met' : 'MISSED'}`;
    lines.push([`${r.metric} (${r.unit})`, fmt(r.ours), fmt(r.emmett), `${ratio.toFixed(2)}×`, target].join(' | '));
  }
  return lines.map((l) => `| ${l} |`).join('\n').replace(/\n/, `\n|${'---|'.repeat(5)}\n`);
}
