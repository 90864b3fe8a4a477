/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  count: number
  p50: number
  p90: number
  p99: number
  max: number
}

/**
 * Summarises latencies with the nearest-rank method: the p-th percentile is the smallest
 * sample that at least p % of the samples do not exceed. Throws on an empty list.
 */
export function summarizeLatencies(latenciesMs: number[]): LatencySummary {
  if (latenciesMs.length === 0) throw new Error('summarizeLatencies: no latencies to summarise')
  const sorted = Float64Array.from(latenciesMs).sort()
  const rank = (percent: number) => sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)]
  return { count: sorted.length, p50: rank(50), p90: rank(90), p99: rank(99), max: sorted[sorted.length - 1] }
}

/** Formats milliseconds with two decimals under 10 ms and one decimal above. */
export function formatMs(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1)
}

/** Formats a byte count in MiB (1,048,576 bytes) with one decimal. */
export function formatMebibytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1)
}

/** Formats an integer with thousands separators, such as 2,000. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US')
}
