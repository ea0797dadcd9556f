package sh.eraser.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sh.eraser.testing.OtlpReceiver;
import sh.eraser.testing.OtlpReceiver.Received;
import sh.eraser.testing.PrometheusScrape;

class ManagerMetricsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Instant ENDED = Instant.parse("2026-03-01T10:30:00Z");

  private final OtlpReceiver receiver = OtlpReceiver.start();
  private final AtomicReference<String> endpoint = new AtomicReference<>(receiver.endpoint());
  private ManagerMetrics metrics;

  @AfterEach
  void stop() {
    if (metrics != null) {
      metrics.close();
    }
    receiver.close();
  }

  private ManagerMetrics start() {
    metrics =
        ManagerMetrics.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            "eraser-manager",
            endpoint::get);
    return metrics;
  }

  private static FinishedRun failedManualRun() {
    return new FinishedRun(
        FinishedRun.MANUAL, false, Duration.ofSeconds(25), 2, 1, 1, 5, ENDED.minusSeconds(3600));
  }

  private static FinishedRun completedScheduledRun() {
    return new FinishedRun(FinishedRun.SCHEDULED, true, Duration.ofSeconds(70), 3, 0, 0, 4, ENDED);
  }

  @Test
  void eachEndedRunIsPushedUnderTheOriginalsNamesUnitsAndServiceName() {
    start().runs().ended(failedManualRun());

    await().atMost(WAIT).until(() -> receiver.latest("imagejob_run_total").isPresent());
    assertThat(receiver.metrics())
        .extracting(Received::name)
        .containsExactlyInAnyOrder(
            "imagejob_duration_run_seconds",
            "pods_completed_run_total",
            "pods_failed_run_total",
            "imagejob_run_total");
    for (Received metric : receiver.metrics()) {
      assertThat(metric.serviceName()).isEqualTo("eraser-manager");
      assertThat(metric.scope()).isEqualTo("eraser");
      assertThat(metric.attributes()).isEmpty();
    }
    assertThat(receiver.latest("imagejob_run_total").orElseThrow().counterValue()).isEqualTo(1);
    assertThat(receiver.latest("pods_completed_run_total").orElseThrow().counterValue())
        .isEqualTo(2);
    assertThat(receiver.latest("pods_failed_run_total").orElseThrow().counterValue()).isEqualTo(1);
    assertThat(receiver.latest("pods_failed_run_total").orElseThrow().metric().getUnit())
        .isEqualTo("1");
    Received duration = receiver.latest("imagejob_duration_run_seconds").orElseThrow();
    assertThat(duration.metric().getUnit()).isEqualTo("s");
    assertThat(duration.metric().getHistogram().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    HistogramDataPoint point = duration.metric().getHistogram().getDataPoints(0);
    assertThat(point.getExplicitBoundsList())
        .containsExactly(0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0);
    // 25 seconds, in seconds: the bucket above 20 up to 30.
    assertThat(point.getBucketCountsList()).containsExactly(0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L);
    assertThat(point.getCount()).isEqualTo(1);
    assertThat(point.getSum()).isEqualTo(25.0);
  }

  @Test
  void valuesAreCumulativeOverRunsOfBothModes() {
    start();
    metrics.runs().ended(failedManualRun());
    await().atMost(WAIT).until(() -> receiver.latest("imagejob_run_total").isPresent());

    metrics.runs().ended(completedScheduledRun());

    await()
        .atMost(WAIT)
        .until(() -> receiver.latest("imagejob_run_total").orElseThrow().counterValue() == 2);
    assertThat(receiver.latest("pods_completed_run_total").orElseThrow().counterValue())
        .isEqualTo(5);
    assertThat(receiver.latest("pods_failed_run_total").orElseThrow().counterValue()).isEqualTo(1);
    HistogramDataPoint point =
        receiver
            .latest("imagejob_duration_run_seconds")
            .orElseThrow()
            .metric()
            .getHistogram()
            .getDataPoints(0);
    assertThat(point.getBucketCountsList()).containsExactly(0L, 0L, 0L, 1L, 0L, 0L, 0L, 1L);
    assertThat(point.getSum()).isEqualTo(95.0);
    HistogramDataPoint first =
        receiver.metrics().stream()
            .filter(m -> m.name().equals("imagejob_duration_run_seconds"))
            .findFirst()
            .orElseThrow()
            .metric()
            .getHistogram()
            .getDataPoints(0);
    assertThat(point.getStartTimeUnixNano()).isEqualTo(first.getStartTimeUnixNano());
  }

  @Test
  void withAnEmptyEndpointNothingIsPushedNorWarnedUntilOneIsConfigured() {
    endpoint.set("");
    try (LogCapture log = new LogCapture(ManagerOtlp.class)) {
      start().runs().ended(failedManualRun());
      metrics.runs().ended(completedScheduledRun());
      PrometheusScrape.of(metrics.address().orElseThrow());

      assertThat(receiver.posts()).isZero();
      assertThat(log.warnings()).isEmpty();

      // As when manager.otlpEndpoint is set in the ConfigMap later: what was recorded goes out.
      endpoint.set(receiver.endpoint());
      metrics.runs().ended(completedScheduledRun());
      await().atMost(WAIT).until(() -> receiver.latest("imagejob_run_total").isPresent());
      assertThat(receiver.latest("imagejob_run_total").orElseThrow().counterValue()).isEqualTo(3);
      assertThat(log.warnings()).isEmpty();
    }
  }

  @Test
  void aReceiverThatKeepsFailingIsWarnedOfOnceAndARecoveryIsNoted() {
    receiver.answer(503);
    try (LogCapture log = new LogCapture(ManagerOtlp.class)) {
      start().runs().ended(failedManualRun());
      await().atMost(WAIT).until(() -> receiver.posts() == 1);
      metrics.runs().ended(failedManualRun());
      await().atMost(WAIT).until(() -> receiver.posts() == 2);

      receiver.answer(200);
      metrics.runs().ended(failedManualRun());
      await().atMost(WAIT).until(() -> receiver.latest("imagejob_run_total").isPresent());

      assertThat(log.warnings()).singleElement().asString().contains("HTTP 503");
      assertThat(receiver.latest("imagejob_run_total").orElseThrow().counterValue()).isEqualTo(3);
    }
  }

  @Test
  void aMetricsPortInUseIsAWarningAndRunsAreStillRecordedAndPushed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        LogCapture log = new LogCapture(ManagerMetrics.class)) {
      metrics =
          ManagerMetrics.start(
              (InetSocketAddress) taken.getLocalSocketAddress(), "eraser-manager", endpoint::get);

      metrics.runs().ended(failedManualRun());

      assertThat(metrics.address()).isEmpty();
      assertThat(log.warnings())
          .singleElement()
          .asString()
          .contains("cannot serve metrics on")
          .contains("the manager runs without /metrics");
      await().atMost(WAIT).until(() -> receiver.latest("imagejob_run_total").isPresent());
    }
  }

  @Test
  void prometheusSeesRunsByModeAndResultNodesImagesAndTheLastSuccess() {
    start();
    PrometheusScrape before = PrometheusScrape.of(metrics.address().orElseThrow());

    metrics.runs().ended(failedManualRun());
    metrics.runs().ended(completedScheduledRun());
    PrometheusScrape after = PrometheusScrape.of(metrics.address().orElseThrow());

    assertThat(before.contentType()).startsWith("text/plain; version=0.0.4");
    for (String mode : new String[] {"manual", "scheduled"}) {
      for (String result : new String[] {"completed", "failed"}) {
        assertThat(before.require("eraser_runs_total", "mode", mode, "result", result)).isZero();
      }
      assertThat(before.require("eraser_images_removed_total", "mode", mode)).isZero();
      assertThat(before.value("eraser_run_last_success_timestamp_seconds", "mode", mode)).isEmpty();
    }
    assertThat(after.require("eraser_runs_total", "mode", "manual", "result", "failed"))
        .isEqualTo(1);
    assertThat(after.require("eraser_runs_total", "mode", "manual", "result", "completed"))
        .isZero();
    assertThat(after.require("eraser_runs_total", "mode", "scheduled", "result", "completed"))
        .isEqualTo(1);
    assertThat(after.require("eraser_run_nodes_total", "mode", "manual", "result", "succeeded"))
        .isEqualTo(2);
    assertThat(after.require("eraser_run_nodes_total", "mode", "manual", "result", "failed"))
        .isEqualTo(1);
    assertThat(after.require("eraser_run_nodes_total", "mode", "manual", "result", "skipped"))
        .isEqualTo(1);
    assertThat(after.require("eraser_images_removed_total", "mode", "manual")).isEqualTo(5);
    assertThat(after.require("eraser_images_removed_total", "mode", "scheduled")).isEqualTo(4);
    assertThat(after.value("eraser_run_last_success_timestamp_seconds", "mode", "manual"))
        .isEmpty();
    assertThat(after.require("eraser_run_last_success_timestamp_seconds", "mode", "scheduled"))
        .isEqualTo(ENDED.getEpochSecond());
    assertThat(
            after.require(
                "eraser_run_duration_seconds_count", "mode", "scheduled", "result", "completed"))
        .isEqualTo(1);
    assertThat(
            after.require(
                "eraser_run_duration_seconds_bucket",
                "mode",
                "scheduled",
                "result",
                "completed",
                "le",
                "120.0"))
        .isEqualTo(1);
    assertThat(after.has("jvm_memory_used_bytes")).isTrue();
    assertThat(after.has("jvm_threads_live_threads")).isTrue();
    assertThat(after.has("process_uptime_seconds")).isTrue();
  }
}
