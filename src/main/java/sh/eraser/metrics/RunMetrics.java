package sh.eraser.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each run that ends: into the manager's Prometheus registry (runs by mode and result,
 * nodes by result, images removed, run duration, the last successful run per mode) and, when an
 * OTLP endpoint is configured, into the original's pushed metrics. Recording never throws.
 */
public final class RunMetrics {

  /** Runs that ended, by {@code mode} and {@code result}. */
  public static final String RUNS = "eraser.runs";

  /** Nodes of ended runs, by {@code mode} and {@code result}: succeeded, failed or skipped. */
  public static final String NODES = "eraser.run.nodes";

  /** Images removed by ended runs, by {@code mode}. */
  public static final String IMAGES_REMOVED = "eraser.images.removed";

  /** Time from an ImageJob's creation to its end, by {@code mode} and {@code result}. */
  public static final String DURATION = "eraser.run.duration";

  /** When the last run of a {@code mode} completed, in seconds since the epoch. */
  public static final String LAST_SUCCESS = "eraser.run.last.success.timestamp";

  private static final List<String> MODES = List.of(FinishedRun.MANUAL, FinishedRun.SCHEDULED);
  private static final List<String> RESULTS = List.of("completed", "failed");
  private static final List<String> NODE_RESULTS = List.of("succeeded", "failed", "skipped");

  private static final Logger log = LoggerFactory.getLogger(RunMetrics.class);

  private final MeterRegistry registry;
  private final ManagerOtlp otlp;
  private final Map<String, AtomicLong> lastSuccessMillis = new ConcurrentHashMap<>();

  /** Run metrics in {@code registry} only, pushed nowhere. */
  public RunMetrics(MeterRegistry registry) {
    this(registry, null);
  }

  RunMetrics(MeterRegistry registry, ManagerOtlp otlp) {
    this.registry = registry;
    this.otlp = otlp;
    // Every series exists from the start at zero, so that rates and alerts see the first run.
    for (String mode : MODES) {
      RESULTS.forEach(result -> runs(mode, result));
      NODE_RESULTS.forEach(result -> nodes(mode, result));
      imagesRemoved(mode);
    }
  }

  /** Records a run that ended. */
  public void ended(FinishedRun run) {
    try {
      runs(run.mode(), run.result()).increment();
      nodes(run.mode(), "succeeded").increment(run.nodesSucceeded());
      nodes(run.mode(), "failed").increment(run.nodesFailed());
      nodes(run.mode(), "skipped").increment(run.nodesSkipped());
      imagesRemoved(run.mode()).increment(run.imagesRemoved());
      duration(run.mode(), run.result()).record(run.duration());
      if (run.completed()) {
        lastSuccess(run.mode()).set(run.ended().toEpochMilli());
      }
      if (otlp != null) {
        otlp.record(run);
      }
    } catch (RuntimeException e) {
      log.warn("run metrics not recorded: {}", e.toString());
    }
  }

  private Counter runs(String mode, String result) {
    return Counter.builder(RUNS)
        .description("Runs that ended, by mode and result")
        .tag("mode", mode)
        .tag("result", result)
        .register(registry);
  }

  private Counter nodes(String mode, String result) {
    return Counter.builder(NODES)
        .description("Nodes of ended runs, by mode and result")
        .tag("mode", mode)
        .tag("result", result)
        .register(registry);
  }

  private Counter imagesRemoved(String mode) {
    return Counter.builder(IMAGES_REMOVED)
        .description("Images removed by ended runs, by mode")
        .tag("mode", mode)
        .register(registry);
  }

  private Timer duration(String mode, String result) {
    return Timer.builder(DURATION)
        .description("Time from an ImageJob's creation to its end")
        .tag("mode", mode)
        .tag("result", result)
        .serviceLevelObjectives(
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofMinutes(1),
            Duration.ofMinutes(2),
            Duration.ofMinutes(5),
            Duration.ofMinutes(10),
            Duration.ofMinutes(30),
            Duration.ofHours(1))
        .register(registry);
  }

  /** The gauge appears with the mode's first successful run. */
  // Limitation: kept in memory, as every run metric here: a restarted manager counts from zero and
  // shows no last success until a run of that mode completes again.
  private AtomicLong lastSuccess(String mode) {
    return lastSuccessMillis.computeIfAbsent(
        mode,
        m -> {
          AtomicLong millis = new AtomicLong();
          Gauge.builder(LAST_SUCCESS, millis, value -> value.get() / 1000.0)
              .description("When the last run of the mode completed, in seconds since the epoch")
              .baseUnit("seconds")
              .tag("mode", m)
              .register(registry);
          return millis;
        });
  }
}
