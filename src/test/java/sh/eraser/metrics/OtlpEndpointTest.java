package sh.eraser.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class OtlpEndpointTest {

  @Test
  void hostAndPortAsTheOriginalDocumentsItIsPlainHttp() {
    assertThat(OtlpEndpoint.metricsUri("otel-collector:4318"))
        .contains(URI.create("http://otel-collector:4318/v1/metrics"));
  }

  @Test
  void aUrlKeepsItsSchemeAndPathAndGetsTheMetricsPathOnce() {
    assertThat(OtlpEndpoint.metricsUri("https://collector.example:4318/otlp/"))
        .contains(URI.create("https://collector.example:4318/otlp/v1/metrics"));
    assertThat(OtlpEndpoint.metricsUri("http://collector:4318/v1/metrics"))
        .contains(URI.create("http://collector:4318/v1/metrics"));
  }

  @Test
  void emptyOrBlankDisablesMetrics() {
    assertThat(OtlpEndpoint.metricsUri(null)).isEmpty();
    assertThat(OtlpEndpoint.metricsUri("")).isEmpty();
    assertThat(OtlpEndpoint.metricsUri("  ")).isEmpty();
  }

  @Test
  void aGrpcOrOtherSchemeIsRejectedWithTheValue() {
    assertThatThrownBy(() -> OtlpEndpoint.metricsUri("grpc://collector:4317"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("grpc://collector:4317")
        .hasMessageContaining("http or https");
    assertThatThrownBy(() -> OtlpEndpoint.metricsUri("collector 4318"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("collector 4318");
  }
}
