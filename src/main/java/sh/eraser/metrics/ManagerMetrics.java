package sh.eraser.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the manager measures: a Prometheus registry served on {@code /metrics} with the
 * operator framework's reconciliation metrics, JVM metrics and the run metrics, and the original's
 * OTLP metrics pushed to {@code manager.otlpEndpoint} when it is set.
 */
public final class ManagerMetrics implements AutoCloseable {

  /** The port the original serves its Prometheus metrics on. */
  public static final int DEFAULT_PORT = 8889;

  /** The manager's service.name when {@code OTEL_SERVICE_NAME} does not give one. */
  public static final String DEFAULT_SERVICE_NAME = ManagerOtlp.DEFAULT_SERVICE_NAME;

  private static final Logger log = LoggerFactory.getLogger(ManagerMetrics.class);

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;
  private final ManagerOtlp otlp;
  private final RunMetrics runs;
  private final Metrics operator;
  private MetricsServer server;

  private ManagerMetrics(String serviceName, Supplier<String> otlpEndpoint) {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    otlp = new ManagerOtlp(otlpEndpoint, serviceName, Clock.systemUTC());
    runs = new RunMetrics(registry, otlp);
    // Per-resource metrics would add series for every ImageList and ImageJob name ever seen.
    operator = MicrometerMetrics.withoutPerResourceMetrics(registry);
  }

  /**
   * Starts serving {@code /metrics} on {@code address}. An address that cannot be bound is a
   * warning: metrics never keep the manager from cleaning nodes.
   *
   * @param serviceName the service.name of the pushed OTLP metrics
   * @param otlpEndpoint the configured OTLP endpoint, asked before every push; blank pushes nothing
   */
  public static ManagerMetrics start(
      InetSocketAddress address, String serviceName, Supplier<String> otlpEndpoint) {
    ManagerMetrics metrics = new ManagerMetrics(serviceName, otlpEndpoint);
    try {
      metrics.server = MetricsServer.start(address, metrics.registry::scrape);
    } catch (UncheckedIOException e) {
      log.warn("{}; the manager runs without /metrics", e.getMessage());
    }
    return metrics;
  }

  /** The operator framework's reconciliation metrics, for its configuration. */
  public Metrics operatorMetrics() {
    return operator;
  }

  /** Where ended runs are recorded. */
  public RunMetrics runs() {
    return runs;
  }

  /** Where {@code /metrics} is served, the real port when 0 was asked for; empty when not. */
  public Optional<InetSocketAddress> address() {
    return server == null ? Optional.empty() : Optional.of(server.address());
  }

  /** Pushes the OTLP metrics a last time and stops serving. */
  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    otlp.close();
    gc.close();
    registry.close();
  }
}
