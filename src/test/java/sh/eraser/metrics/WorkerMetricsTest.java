package sh.eraser.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sh.eraser.testing.OtlpReceiver;
import sh.eraser.testing.OtlpReceiver.Received;

class WorkerMetricsTest {

  private final OtlpReceiver receiver = OtlpReceiver.start();

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void theRemoverPushesImagesRemovedWithTheNodeNameAsTheOriginalNamesThem() {
    WorkerMetrics metrics = new WorkerMetrics(receiver.endpoint(), "remover", "node-a");

    assertThat(metrics.imagesRemoved(3)).isTrue();

    assertThat(receiver.contentTypes()).containsExactly("application/x-protobuf");
    Received received = receiver.metrics().get(0);
    assertThat(receiver.metrics()).hasSize(1);
    assertThat(received.serviceName()).isEqualTo("remover");
    assertThat(received.scope()).isEqualTo("eraser");
    assertThat(received.name()).isEqualTo("images_removed_run_total");
    assertThat(received.metric().getUnit()).isEqualTo("1");
    assertThat(received.metric().getSum().getIsMonotonic()).isTrue();
    assertThat(received.metric().getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    assertThat(received.counterValue()).isEqualTo(3);
    assertThat(received.attributes()).containsExactly(Map.entry("node name", "node-a"));
    NumberDataPoint point = received.metric().getSum().getDataPoints(0);
    assertThat(point.getStartTimeUnixNano())
        .isPositive()
        .isLessThanOrEqualTo(point.getTimeUnixNano());
  }

  @Test
  void theScannerPushesVulnerableImagesUnderItsOwnServiceName() {
    WorkerMetrics metrics = new WorkerMetrics(receiver.endpoint(), "trivy-scanner", "node-b");

    metrics.vulnerableImages(5);

    Received received = receiver.latest("vulnerable_images_run_total").orElseThrow();
    assertThat(received.serviceName()).isEqualTo("trivy-scanner");
    assertThat(received.counterValue()).isEqualTo(5);
    assertThat(received.attributes()).containsEntry("node name", "node-b");
  }

  @Test
  void aUrlEndpointIsPostedToItsMetricsPath() {
    WorkerMetrics metrics = new WorkerMetrics("http://" + receiver.endpoint(), "remover", "n");

    assertThat(metrics.imagesRemoved(0)).isTrue();

    assertThat(receiver.latest("images_removed_run_total").orElseThrow().counterValue()).isZero();
  }

  @Test
  void anEmptyEndpointSendsNothingAndWarnsOfNothing() {
    try (LogCapture log = new LogCapture(WorkerMetrics.class)) {
      assertThat(new WorkerMetrics("", "remover", "node-a").imagesRemoved(3)).isFalse();
      assertThat(new WorkerMetrics(null, "remover", "node-a").imagesRemoved(3)).isFalse();

      assertThat(log.warnings()).isEmpty();
    }
    assertThat(receiver.requests()).isEmpty();
  }

  @Test
  void anUnreachableReceiverIsAWarningNotAFailure() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (LogCapture log = new LogCapture(WorkerMetrics.class)) {
      boolean delivered =
          new WorkerMetrics("127.0.0.1:" + closedPort, "remover", "node-a").imagesRemoved(3);

      assertThat(delivered).isFalse();
      assertThat(log.warnings())
          .singleElement()
          .asString()
          .contains("images_removed_run_total not exported")
          .contains("127.0.0.1:" + closedPort);
    }
  }

  @Test
  void aReceiverThatAnswersAnErrorIsAWarningNotAFailure() {
    receiver.answer(503);
    try (LogCapture log = new LogCapture(WorkerMetrics.class)) {
      assertThat(new WorkerMetrics(receiver.endpoint(), "remover", "n").imagesRemoved(1)).isFalse();
      assertThat(log.warnings()).singleElement().asString().contains("HTTP 503");
    }
  }

  @Test
  void aMalformedEndpointIsAWarningNotAFailure() {
    try (LogCapture log = new LogCapture(WorkerMetrics.class)) {
      assertThat(new WorkerMetrics("grpc://collector:4317", "remover", "n").imagesRemoved(1))
          .isFalse();
      assertThat(log.warnings()).singleElement().asString().contains("grpc://collector:4317");
    }
  }
}
