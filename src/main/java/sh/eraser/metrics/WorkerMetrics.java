package sh.eraser.metrics;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sh.eraser.metrics.OtlpSender.Outcome;

/**
 * The metrics a worker container pushes once, when its work is done, under the original's names:
 * the remover's {@value #IMAGES_REMOVED} and the scanner's {@value #VULNERABLE_IMAGES}, each with
 * the node's name as attribute {@value #NODE_NAME}. Nothing is sent without an endpoint, and no
 * failure to send is ever thrown: metrics never change what a worker removes or how it exits.
 */
public final class WorkerMetrics {

  /** Images the remover removed in this run. */
  public static final String IMAGES_REMOVED = "images_removed_run_total";

  /** Images the scanner sent for removal in this run. */
  public static final String VULNERABLE_IMAGES = "vulnerable_images_run_total";

  /** The attribute key the original uses, with its space; Prometheus shows it as node_name. */
  public static final String NODE_NAME = "node name";

  /** The service names the manager gives the worker containers. */
  public static final String REMOVER_SERVICE = "remover";

  public static final String SCANNER_SERVICE = "trivy-scanner";

  private static final Logger log = LoggerFactory.getLogger(WorkerMetrics.class);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final String endpoint;
  private final String serviceName;
  private final String node;
  private final Instant start;
  private final OtlpSender sender;

  /**
   * @param endpoint the OTLP endpoint, {@code host:port} or a URL; null or blank sends nothing
   * @param serviceName {@code service.name} of the pushed resource
   * @param node the node's name, the value of attribute {@value #NODE_NAME}
   */
  public WorkerMetrics(String endpoint, String serviceName, String node) {
    this.endpoint = endpoint;
    this.serviceName = serviceName;
    this.node = node == null ? "" : node;
    // The process's start, without the management beans that would cost a worker's heap.
    this.start = ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
    this.sender = new OtlpSender(CONNECT_TIMEOUT, REQUEST_TIMEOUT);
  }

  /** Pushes {@value #IMAGES_REMOVED}; returns whether a receiver took it. */
  public boolean imagesRemoved(long count) {
    return push(IMAGES_REMOVED, "Images removed from the node in this run", count);
  }

  /** Pushes {@value #VULNERABLE_IMAGES}; returns whether a receiver took it. */
  public boolean vulnerableImages(long count) {
    return push(
        VULNERABLE_IMAGES, "Images the scanner sent for removal from the node in this run", count);
  }

  private boolean push(String name, String description, long count) {
    Optional<URI> uri = uri();
    if (uri.isEmpty()) {
      return false;
    }
    // Limitation: one attempt, no retry: a worker exits right after, and a receiver that is down
    // for those seconds loses that node's value for the run.
    try {
      Instant now = Instant.now();
      var metric =
          OtlpRequests.counter(name, description, count, Map.of(NODE_NAME, node), start, now);
      Outcome outcome = sender.send(uri.get(), OtlpRequests.request(serviceName, List.of(metric)));
      if (!outcome.delivered()) {
        log.warn("metric {} not exported: {}", name, outcome.problem());
        return false;
      }
      log.debug("metric {}={} exported to {}", name, count, uri.get());
      return true;
    } catch (RuntimeException | LinkageError e) {
      // Whatever goes wrong here, the worker's own outcome stands.
      log.warn("metric {} not exported: {}", name, e.toString());
      return false;
    }
  }

  private Optional<URI> uri() {
    try {
      Optional<URI> uri = OtlpEndpoint.metricsUri(endpoint);
      if (uri.isEmpty()) {
        log.debug("no OTLP endpoint is set; metrics are not exported");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      log.warn("metrics are not exported: OTLP endpoint {}", e.getMessage());
      return Optional.empty();
    }
  }
}
