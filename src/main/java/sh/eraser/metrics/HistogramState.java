package sh.eraser.metrics;

import java.util.Arrays;

/**
 * A cumulative histogram with fixed bucket bounds, as OTLP carries it: bucket {@code i} counts the
 * values above bound {@code i-1} up to and including bound {@code i}, and the last bucket the
 * values above the last bound. Thread-safe.
 */
final class HistogramState {

  /** What the histogram holds at one moment. */
  record Snapshot(
      long count, double sum, double min, double max, double[] bounds, long[] bucketCounts) {}

  private final double[] bounds;
  private final long[] buckets;
  private long count;
  private double sum;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  HistogramState(double... bounds) {
    this.bounds = bounds.clone();
    this.buckets = new long[bounds.length + 1];
  }

  synchronized void record(double value) {
    int bucket = 0;
    while (bucket < bounds.length && value > bounds[bucket]) {
      bucket++;
    }
    buckets[bucket]++;
    count++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }

  synchronized Snapshot snapshot() {
    return new Snapshot(
        count, sum, min, max, bounds.clone(), Arrays.copyOf(buckets, buckets.length));
  }
}
