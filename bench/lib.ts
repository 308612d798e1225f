// Small helpers shared by the benchmarks: percentiles and result files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export function summarize(samplesMs: number[]): {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
} {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    mean,
  };
}

export function machine(): Record<string, unknown> {
  return {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    platform: process.platform,
  };
}

/** Writes bench/results/<name>.json and <name>.md (the latest run; git history keeps earlier ones). */
export function record(name: string, data: Record<string, unknown>, markdown: string): void {
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${name}.json`),
    `${JSON.stringify({ recordedAt: new Date().toISOString(), machine: machine(), ...data }, null, 2)}\n`,
  );
  writeFileSync(join(dir, `${name}.md`), markdown.endsWith('\n') ? markdown : `${markdown}\n`);
}

export const fmt = (ms: number): string => ms.toFixed(3);
