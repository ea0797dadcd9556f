package sh.eraser.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import sh.eraser.metrics.otlp.AggregationTemporality;
import sh.eraser.metrics.otlp.AnyValue;
import sh.eraser.metrics.otlp.ExportMetricsServiceRequest;
import sh.eraser.metrics.otlp.Histogram;
import sh.eraser.metrics.otlp.HistogramDataPoint;
import sh.eraser.metrics.otlp.InstrumentationScope;
import sh.eraser.metrics.otlp.KeyValue;
import sh.eraser.metrics.otlp.Metric;
import sh.eraser.metrics.otlp.NumberDataPoint;
import sh.eraser.metrics.otlp.Resource;
import sh.eraser.metrics.otlp.ResourceMetrics;
import sh.eraser.metrics.otlp.ScopeMetrics;
import sh.eraser.metrics.otlp.Sum;

/**
 * Builds OTLP metrics requests as the original's OpenTelemetry SDK sends them: one resource named
 * by {@code service.name}, one scope {@value #SCOPE}, cumulative values since the producer started.
 */
final class OtlpRequests {

  /** The meter (instrumentation scope) name the original uses. */
  static final String SCOPE = "eraser";

  /** The resource attribute that names the producer; Prometheus shows it as {@code job}. */
  static final String SERVICE_NAME = "service.name";

  /** The unit of a count, in UCUM as OTLP expects. */
  static final String COUNT_UNIT = "1";

  private OtlpRequests() {}

  static ExportMetricsServiceRequest request(String serviceName, List<Metric> metrics) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(
                    Resource.newBuilder().addAttributes(attribute(SERVICE_NAME, serviceName)))
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName(SCOPE))
                        .addAllMetrics(metrics)))
        .build();
  }

  /** A monotonic counter's cumulative value. */
  static Metric counter(
      String name,
      String description,
      long value,
      Map<String, String> attributes,
      Instant start,
      Instant now) {
    NumberDataPoint.Builder point =
        NumberDataPoint.newBuilder()
            .setStartTimeUnixNano(nanos(start))
            .setTimeUnixNano(nanos(now))
            .setAsInt(value);
    attributes.forEach((key, text) -> point.addAttributes(attribute(key, text)));
    return Metric.newBuilder()
        .setName(name)
        .setDescription(description)
        .setUnit(COUNT_UNIT)
        .setSum(
            Sum.newBuilder()
                .addDataPoints(point)
                .setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .setIsMonotonic(true))
        .build();
  }

  /** A histogram with explicit bucket bounds, cumulative. */
  static Metric histogram(
      String name,
      String description,
      String unit,
      HistogramState.Snapshot snapshot,
      Instant start,
      Instant now) {
    HistogramDataPoint.Builder point =
        HistogramDataPoint.newBuilder()
            .setStartTimeUnixNano(nanos(start))
            .setTimeUnixNano(nanos(now))
            .setCount(snapshot.count())
            .setSum(snapshot.sum());
    for (double bound : snapshot.bounds()) {
      point.addExplicitBounds(bound);
    }
    for (long count : snapshot.bucketCounts()) {
      point.addBucketCounts(count);
    }
    if (snapshot.count() > 0) {
      point.setMin(snapshot.min()).setMax(snapshot.max());
    }
    return Metric.newBuilder()
        .setName(name)
        .setDescription(description)
        .setUnit(unit)
        .setHistogram(
            Histogram.newBuilder()
                .addDataPoints(point)
                .setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE))
        .build();
  }

  static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
