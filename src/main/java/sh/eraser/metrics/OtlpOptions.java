package sh.eraser.metrics;

import picocli.CommandLine.Option;

/**
 * Command-line options of a worker that pushes metrics, read from the environment the manager gives
 * the worker containers when {@code manager.otlpEndpoint} is set.
 */
public final class OtlpOptions {

  @Option(
      names = "--otlp-endpoint",
      paramLabel = "ENDPOINT",
      defaultValue = "${env:OTEL_EXPORTER_OTLP_ENDPOINT}",
      description =
          "OTLP/HTTP receiver of metrics, host:port or an http(s) URL; none sends no metrics"
              + " (default: $OTEL_EXPORTER_OTLP_ENDPOINT).")
  String endpoint;

  @Option(
      names = "--otel-service-name",
      paramLabel = "NAME",
      defaultValue = "${env:OTEL_SERVICE_NAME}",
      description =
          "service.name of the metrics (default: $OTEL_SERVICE_NAME, else the component).")
  String serviceName;

  /** The metrics of this worker, named {@code component} unless a service name is given. */
  public WorkerMetrics workerMetrics(String component, String node) {
    String service = serviceName == null || serviceName.isBlank() ? component : serviceName;
    return new WorkerMetrics(endpoint, service, node);
  }
}
