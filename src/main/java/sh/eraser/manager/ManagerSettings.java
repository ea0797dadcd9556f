package sh.eraser.manager;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import sh.eraser.metrics.ManagerMetrics;

/**
 * What the manager process is told at start, apart from the EraserConfig: where it lives, where it
 * answers probes and serves metrics, and whether it competes for leadership.
 *
 * @param namespace the manager's namespace: its ConfigMap, its Lease and its worker pods
 * @param health where the probe endpoints listen
 * @param leaderElection whether only the holder of the Lease reconciles
 * @param podName the manager's own pod, from which its Deployment is found; null or blank when
 *     unknown
 * @param metrics where {@code /metrics} is served
 * @param serviceName the service.name of the OTLP metrics the manager pushes
 */
public record ManagerSettings(
    String namespace,
    InetSocketAddress health,
    boolean leaderElection,
    String podName,
    InetSocketAddress metrics,
    String serviceName) {

  /** The namespace the chart installs into, used when {@code POD_NAMESPACE} is not set. */
  public static final String DEFAULT_NAMESPACE = "eraser-system";

  /** The Lease that replicas compete for. */
  public static final String LEASE_NAME = "eraser-controller-manager";

  /** Settings that serve metrics on any free loopback port, under the default service name. */
  public ManagerSettings(
      String namespace, InetSocketAddress health, boolean leaderElection, String podName) {
    this(
        namespace,
        health,
        leaderElection,
        podName,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        ManagerMetrics.DEFAULT_SERVICE_NAME);
  }
}
