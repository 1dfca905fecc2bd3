// Summaries of repeated measurements: median with min and max, percentiles.

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const rank = (sorted.length - 1) * p;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** { median, min, max, n } of `values`, rounded to `digits`. */
export function summary(values, digits = 1) {
  const round = (x) => Number(x.toFixed(digits));
  return {
    median: round(percentile(values, 0.5)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
    n: values.length,
  };
}
