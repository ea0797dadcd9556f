package sh.eraser.metrics;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Where OTLP/HTTP metrics go, read from {@code manager.otlpEndpoint} or the workers' {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT}: {@code host:port} as the original documents it (sent over plain
 * HTTP), or an {@code http://} or {@code https://} URL. Metrics are posted to its {@code
 * /v1/metrics} path.
 */
public final class OtlpEndpoint {

  /** The OTLP/HTTP path of metrics, appended to the endpoint's own path. */
  public static final String METRICS_PATH = "/v1/metrics";

  private OtlpEndpoint() {}

  /**
   * The URL to post metrics to; empty when {@code configured} is null or blank, which disables
   * metrics.
   *
   * @throws IllegalArgumentException saying why a non-blank value is not an endpoint
   */
  public static Optional<URI> metricsUri(String configured) {
    if (configured == null || configured.isBlank()) {
      return Optional.empty();
    }
    String value = configured.trim();
    String url = value.contains("://") ? value : "http://" + value;
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "\"" + value + "\" is not host:port or an http(s) URL: " + e.getReason(), e);
    }
    String scheme = uri.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException(
          "\"" + value + "\" has scheme " + scheme + "; OTLP/HTTP needs http or https");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("\"" + value + "\" names no host");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (!path.endsWith(METRICS_PATH)) {
      path = path + METRICS_PATH;
    }
    return Optional.of(uri.resolve(path));
  }
}
