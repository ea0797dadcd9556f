package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sh.eraser.metrics.ManagerMetrics;

/**
 * The running controller-manager: the probe server, its configuration source, its metrics, the
 * operator with its reconcilers and the timer of scheduled runs, started in that order and stopped
 * in reverse.
 */
public final class ManagerRuntime implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ManagerRuntime.class);

  private final ManagerSettings settings;
  private final KubernetesClient client;
  private final ConfigSource config;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private HealthServer health;
  private ManagerMetrics metrics;
  private Operator operator;
  private ScheduledRuns scheduled;
  private volatile boolean ready;

  /**
   * @param client used by everything the manager runs; the caller closes it
   * @param config the configuration source, not yet started
   */
  public ManagerRuntime(ManagerSettings settings, KubernetesClient client, ConfigSource config) {
    this.settings = settings;
    this.client = client;
    this.config = config;
  }

  /**
   * Starts everything and returns once the manager is ready. The probe server comes first, so the
   * liveness probe answers while caches fill.
   */
  public synchronized void start() {
    health = HealthServer.start(settings.health(), this::isReady);
    config.start();
    metrics =
        ManagerMetrics.start(
            settings.metrics(),
            settings.serviceName(),
            () -> config.current().manager().otlpEndpoint());
    Optional<OwnerReference> deployment =
        ManagerOwner.find(client, settings.namespace(), settings.podName());
    // Before any run is adopted, so that a run is never mistaken for the orphans it leaves.
    new ImageJobs(client, settings.namespace(), deployment).deleteOrphans();
    scheduled = new ScheduledRuns(client, config, settings.namespace(), deployment, metrics.runs());
    operator = new Operator(this::configure);
    operator.register(
        new ImageListReconciler(config, settings.namespace(), deployment, metrics.runs()));
    operator.start();
    if (!settings.leaderElection()) {
      scheduled.start();
    }
    ready = true;
    log.info("manager started (leader election {})", settings.leaderElection() ? "on" : "off");
  }

  /**
   * Whether {@code /readyz} answers 200: the operator has started. With leader election on, a
   * replica that waits for the Lease is ready too; it serves probes and keeps its caches warm.
   */
  public boolean isReady() {
    return ready && operator.getRuntimeInfo().isStarted();
  }

  /** The active configuration. */
  public ConfigSource config() {
    return config;
  }

  /** Where the probe server listens. */
  public HealthServer health() {
    return health;
  }

  /** Where {@code /metrics} is served. */
  public ManagerMetrics metrics() {
    return metrics;
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Stops reconciling, watching and answering probes. */
  @Override
  public synchronized void close() {
    ready = false;
    try {
      if (scheduled != null) {
        scheduled.close();
      }
      if (operator != null) {
        operator.stop();
      }
      config.close();
      if (metrics != null) {
        metrics.close();
      }
      if (health != null) {
        health.close();
      }
      log.info("manager stopped");
    } finally {
      stopped.countDown();
    }
  }

  private void configure(ConfigurationServiceOverrider overrider) {
    overrider
        .withKubernetesClient(client)
        // The caller owns the client: the config source still uses it while the operator stops.
        .withCloseClientOnStop(false)
        // Status goes out as a JSON merge patch, the path the mock API server tests too.
        .withUseSSAToPatchPrimaryResource(false)
        .withMetrics(metrics.operatorMetrics());
    if (settings.leaderElection()) {
      // Losing the Lease exits the process (the framework's default), and Kubernetes restarts it.
      // The timer of scheduled runs starts with leadership, as the reconcilers do.
      LeaderCallbacks callbacks = new LeaderCallbacks(scheduled::start, () -> {}, leader -> {});
      overrider.withLeaderElectionConfiguration(
          new LeaderElectionConfiguration(
              ManagerSettings.LEASE_NAME,
              settings.namespace(),
              LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
              LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
              LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
              leaderIdentity(settings.podName()),
              callbacks,
              true));
    }
  }

  /**
   * Who holds the Lease: the pod's name in a cluster; outside one, the host name with a random
   * suffix, so that two managers started on one machine never share an identity (both would believe
   * they lead).
   */
  static String leaderIdentity(String podName) {
    if (podName != null && !podName.isBlank()) {
      return podName;
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "eraser-manager";
    }
    return host + "_" + UUID.randomUUID();
  }
}
