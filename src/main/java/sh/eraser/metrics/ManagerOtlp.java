package sh.eraser.metrics;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sh.eraser.metrics.OtlpSender.Outcome;
import sh.eraser.metrics.otlp.Metric;

/**
 * The manager's OTLP metrics under the original's names, cumulative since the manager started:
 * pushed right after each run ends and every {@link #INTERVAL} after, to the endpoint the current
 * configuration names. One thread of its own sends, so a slow receiver never holds up a reconcile.
 */
final class ManagerOtlp implements AutoCloseable {

  static final String DURATION = "imagejob_duration_run_seconds";
  static final String PODS_COMPLETED = "pods_completed_run_total";
  static final String PODS_FAILED = "pods_failed_run_total";
  static final String JOBS = "imagejob_run_total";

  /** The original's buckets, in seconds. */
  static final double[] DURATION_BOUNDS = {0, 10, 20, 30, 40, 50, 60};

  /** The original's service name for the manager, set by its chart. */
  static final String DEFAULT_SERVICE_NAME = "eraser-manager";

  /** How often the values are pushed again; the OpenTelemetry SDKs' default. */
  static final Duration INTERVAL = Duration.ofSeconds(60);

  private static final Logger log = LoggerFactory.getLogger(ManagerOtlp.class);

  private final Supplier<String> endpoint;
  private final String serviceName;
  private final Clock clock;
  private final Instant start;
  private final OtlpSender sender = new OtlpSender(Duration.ofSeconds(5), Duration.ofSeconds(10));
  private final ScheduledExecutorService pusher;

  // Limitation: the values live in the manager's memory, so a restart starts them from zero (with
  // a new start time, which OTLP receivers read as a reset), and a run whose end was written just
  // before a crash is not counted.
  private final HistogramState duration = new HistogramState(DURATION_BOUNDS);
  private final LongAdder podsCompleted = new LongAdder();
  private final LongAdder podsFailed = new LongAdder();
  private final LongAdder jobs = new LongAdder();
  private volatile boolean recorded;

  // Touched by the pusher thread only: what was last logged, so a lasting problem logs once.
  private String lastProblem;

  /**
   * @param endpoint the configured endpoint, asked before every push; blank sends nothing
   */
  ManagerOtlp(Supplier<String> endpoint, String serviceName, Clock clock) {
    this.endpoint = endpoint;
    this.serviceName = serviceName;
    this.clock = clock;
    this.start = clock.instant();
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "otlp-metrics");
              thread.setDaemon(true);
              return thread;
            });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.scheduleWithFixedDelay(
        this::push, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    this.pusher = executor;
  }

  /** Adds an ended run and pushes soon. */
  void record(FinishedRun run) {
    duration.record(run.duration().toNanos() / 1e9);
    podsCompleted.add(run.nodesSucceeded());
    podsFailed.add(run.nodesFailed());
    jobs.increment();
    recorded = true;
    try {
      pusher.execute(this::push);
    } catch (RejectedExecutionException e) {
      log.debug("metrics not pushed: the manager is stopping");
    }
  }

  /** Pushes what was recorded once more, waiting a few seconds at most, then stops. */
  @Override
  public void close() {
    try {
      pusher.execute(this::push);
    } catch (RejectedExecutionException e) {
      return;
    }
    pusher.shutdown();
    try {
      // A daemon thread: a receiver that does not answer delays the stop, never blocks it.
      if (!pusher.awaitTermination(5, TimeUnit.SECONDS)) {
        pusher.shutdownNow();
      }
    } catch (InterruptedException e) {
      pusher.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Nothing is pushed before the first run ends: the original exports no unused instrument. */
  private void push() {
    if (!recorded) {
      return;
    }
    try {
      Optional<URI> uri = uri();
      if (uri.isPresent()) {
        report(sender.send(uri.get(), OtlpRequests.request(serviceName, metrics())));
      }
    } catch (RuntimeException e) {
      report(Outcome.failed(e.toString()));
    }
  }

  private Optional<URI> uri() {
    try {
      return OtlpEndpoint.metricsUri(endpoint.get());
    } catch (IllegalArgumentException e) {
      report(Outcome.failed("manager.otlpEndpoint " + e.getMessage()));
      return Optional.empty();
    }
  }

  private List<Metric> metrics() {
    Instant now = clock.instant();
    return List.of(
        OtlpRequests.histogram(
            DURATION,
            "Time from an ImageJob's creation to its end",
            "s",
            duration.snapshot(),
            start,
            now),
        OtlpRequests.counter(
            PODS_COMPLETED,
            "Worker pods that succeeded",
            podsCompleted.sum(),
            Map.of(),
            start,
            now),
        OtlpRequests.counter(
            PODS_FAILED, "Worker pods that failed", podsFailed.sum(), Map.of(), start, now),
        OtlpRequests.counter(JOBS, "ImageJobs that ended", jobs.sum(), Map.of(), start, now));
  }

  /** Logs a problem when it first appears and when it goes, not on every push. */
  private void report(Outcome outcome) {
    if (outcome.delivered()) {
      if (lastProblem != null) {
        log.info("metrics are exported again");
      }
      lastProblem = null;
      return;
    }
    if (!Objects.equals(outcome.problem(), lastProblem)) {
      log.warn(
          "metrics not exported: {}; retrying every {}s", outcome.problem(), INTERVAL.toSeconds());
    }
    lastProblem = outcome.problem();
  }
}
