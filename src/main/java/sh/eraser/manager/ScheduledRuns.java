package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sh.eraser.api.ImageJobStatus;
import sh.eraser.api.JobPhase;
import sh.eraser.api.v1.ImageJob;
import sh.eraser.config.EraserConfig;
import sh.eraser.manager.RunEvents.RunEvent;
import sh.eraser.metrics.FinishedRun;
import sh.eraser.metrics.RunMetrics;

/**
 * Runs scheduled mode while {@code components.collector.enabled}: starts a run (collector, scanner,
 * remover on every selected node) {@code repeatInterval} after the previous one ended, or at start
 * when {@code beginImmediately}; follows it to its end and deletes it after its cleanup delay.
 *
 * <p>Everything it knows comes from the scheduled ImageJobs in the cluster, read again on every
 * step, so a manager that starts while a run is active or awaiting deletion carries on with it.
 * Manual runs are neither counted nor touched. One thread does every step, so steps never overlap.
 */
final class ScheduledRuns implements AutoCloseable {

  /** How often an active run is judged again from its worker pods. */
  static final Duration DEFAULT_POLL = Duration.ofSeconds(5);

  /** The longest sleep between two steps, so that a clock change or a lost wake-up heals. */
  static final Duration DEFAULT_IDLE = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(ScheduledRuns.class);

  private final ImageJobs jobs;
  private final EventRecorder events;
  private final ConfigSource config;
  private final String namespace;
  private final Clock clock;
  private final Duration poll;
  private final Duration idle;
  private final RunMetrics metrics;
  private final ScheduledThreadPoolExecutor timer =
      new ScheduledThreadPoolExecutor(
          1,
          r -> {
            Thread thread = new Thread(r, "scheduled-runs");
            thread.setDaemon(true);
            return thread;
          });

  // Guarded by this: the step waiting to run, null while a step runs.
  private ScheduledFuture<?> pending;
  private boolean closed;

  // Touched by the timer thread only.
  private Instant firstDue;
  private Instant lastEnd;
  private String activeJob;

  /**
   * @param deployment the manager's Deployment, owner of the runs' pods, if any
   * @param metrics where each ended run is recorded
   */
  ScheduledRuns(
      KubernetesClient client,
      ConfigSource config,
      String namespace,
      Optional<OwnerReference> deployment,
      RunMetrics metrics) {
    this(
        client,
        config,
        namespace,
        deployment,
        Clock.systemUTC(),
        DEFAULT_POLL,
        DEFAULT_IDLE,
        metrics);
  }

  ScheduledRuns(
      KubernetesClient client,
      ConfigSource config,
      String namespace,
      Clock clock,
      Duration poll,
      Duration idle) {
    this(client, config, namespace, clock, poll, idle, new RunMetrics(new SimpleMeterRegistry()));
  }

  ScheduledRuns(
      KubernetesClient client,
      ConfigSource config,
      String namespace,
      Clock clock,
      Duration poll,
      Duration idle,
      RunMetrics metrics) {
    this(client, config, namespace, Optional.empty(), clock, poll, idle, metrics);
  }

  /**
   * @param clock what "now" is for the schedule, deadlines and cleanup delays
   * @param poll how often an active run is judged
   * @param idle the longest sleep between two steps
   */
  ScheduledRuns(
      KubernetesClient client,
      ConfigSource config,
      String namespace,
      Optional<OwnerReference> deployment,
      Clock clock,
      Duration poll,
      Duration idle,
      RunMetrics metrics) {
    this.jobs = new ImageJobs(client, namespace, deployment);
    this.events = new EventRecorder(client);
    this.config = config;
    this.namespace = namespace;
    this.clock = clock;
    this.poll = poll;
    this.idle = idle;
    this.metrics = metrics;
  }

  /** Takes the first step now, and another after every configuration change. */
  void start() {
    config.addListener((previous, current) -> wake());
    wake();
  }

  /**
   * Stops stepping. A step under way finishes first, so that a run is never left half-started;
   * active runs stay for the next manager to adopt.
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (pending != null) {
        pending.cancel(false);
      }
    }
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    timer.shutdown();
    try {
      if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("a scheduled-run step did not finish within 30s of the stop; interrupting it");
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      timer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Takes a step as soon as the timer thread is free. */
  void wake() {
    after(Duration.ZERO);
  }

  /** Schedules the next step after {@code delay}, unless one is due sooner already. */
  private synchronized void after(Duration delay) {
    if (closed) {
      return;
    }
    long millis = Math.max(0, delay.toMillis());
    if (pending != null) {
      if (pending.getDelay(TimeUnit.MILLISECONDS) <= millis) {
        return;
      }
      pending.cancel(false);
    }
    pending = timer.schedule(this::step, millis, TimeUnit.MILLISECONDS);
  }

  private void step() {
    synchronized (this) {
      pending = null;
    }
    Duration wait;
    try {
      wait = stepNow();
    } catch (RuntimeException e) {
      // Wrapped API failures land here; the next step retries them.
      log.error("scheduled runs: step failed; retrying in {}", poll, e);
      wait = poll;
    }
    after(wait.compareTo(idle) > 0 ? idle : wait);
  }

  /** One look at the scheduled jobs: follows, ends, deletes, starts. Returns the time to sleep. */
  private Duration stepNow() {
    EraserConfig settings = config.current();
    Instant now = clock.instant();
    Instant wake = now.plus(idle);

    ImageJob active = null;
    for (ImageJob job : jobs.scheduled()) {
      JobPhase phase = phase(job);
      if (phase == JobPhase.NEW) {
        // The manager stopped while starting it, before any pod: the run is started again.
        about(job, () -> log.warn("scheduled run left half-started; deleting it"));
        jobs.delete(job);
      } else if (!phase.isFinished()) {
        if (active != null) {
          about(active, () -> log.warn("deleting the older of two active scheduled runs"));
          jobs.delete(active);
        }
        active = job;
      } else {
        wake = earliest(wake, cleanUp(job, now));
      }
    }
    if (active == null && activeJob != null) {
      // The active run is gone: deleted by hand. Time the next run from now, and delete its pods,
      // which the manager's Deployment may own rather than the job.
      lastEnd = latest(lastEnd, now);
      jobs.deleteOrphans();
    }
    activeJob = active == null ? null : name(active);

    // Limitation: the pods are polled, not watched, so an end is noticed up to one poll late.
    if (active != null && follow(active, settings, now)) {
      return until(now, earliest(wake, now.plus(poll)));
    }
    if (active != null) {
      return Duration.ZERO;
    }
    return until(now, earliest(wake, startIfDue(settings, now)));
  }

  /** Judges the active run; true while it is still running, false once it has been ended. */
  private boolean follow(ImageJob job, EraserConfig settings, Instant now) {
    double ratio = settings.manager().imageJob().successRatio();
    ImageJobStatus judged = jobs.judge(job, ratio, now);
    if (!judged.getPhase().isFinished()) {
      if (!judged.equals(job.getStatus())) {
        jobs.writeStatus(job, judged);
      }
      return true;
    }
    jobs.end(job, judged, settings, now);
    about(job, () -> log.info("scheduled run {}: {}", judged.getPhase(), RunEvents.counts(judged)));
    metrics.ended(FinishedRuns.of(FinishedRun.SCHEDULED, job, judged, now));
    RunEvents.finished(name(job), judged).forEach(event -> record(job, event));
    activeJob = null;
    return false;
  }

  /** Deletes an ended run whose delay is over; returns when to look again. */
  private Instant cleanUp(ImageJob job, Instant now) {
    lastEnd = latest(lastEnd, ImageJobs.finishedAt(job).orElse(now));
    Instant deleteAfter = job.getStatus().getDeleteAfter();
    if (deleteAfter != null && deleteAfter.isAfter(now)) {
      return deleteAfter;
    }
    jobs.delete(job);
    return now.plus(idle);
  }

  /** Starts a run when one is due; returns when to look again. */
  private Instant startIfDue(EraserConfig settings, Instant now) {
    if (!settings.components().collector().enabled()) {
      firstDue = null;
      return now.plus(idle);
    }
    EraserConfig.Scheduling schedule = settings.manager().scheduling();
    if (firstDue == null) {
      firstDue = schedule.beginImmediately() ? now : now.plus(schedule.repeatInterval());
    }
    // Counted from the previous run's end, so the cleanup delay never adds to the interval.
    // Limitation: the end is read from the ended job while it awaits deletion and is kept in
    // memory after; a manager that starts once it is deleted times the first run from its start.
    Instant due = lastEnd == null ? firstDue : lastEnd.plus(schedule.repeatInterval());
    if (now.isBefore(due)) {
      log.debug("next scheduled run at {}", due);
      return due;
    }

    ImageJobs.Started started = jobs.startScheduled(settings, now);
    ImageJob job = started.job();
    activeJob = name(job);
    about(job, () -> log.info("scheduled run started: {}", RunEvents.counts(started.status())));
    record(job, RunEvents.started(name(job), started.status()));
    return now;
  }

  private void record(ImageJob job, RunEvent event) {
    events.recordClusterScoped(reference(job), event.warning(), event.reason(), event.message());
  }

  /** Logs with the job's identity in the MDC, as a reconcile's lines carry their resource's. */
  private static void about(ImageJob job, Runnable logging) {
    LogContext.about(job.getApiVersion(), job.getKind(), null, name(job), logging);
  }

  private static ObjectReference reference(ImageJob job) {
    return new ObjectReferenceBuilder()
        .withApiVersion(job.getApiVersion())
        .withKind(job.getKind())
        .withName(job.getMetadata().getName())
        .withUid(job.getMetadata().getUid())
        .build();
  }

  private static JobPhase phase(ImageJob job) {
    return job.getStatus() == null ? JobPhase.NEW : job.getStatus().getPhase();
  }

  private static String name(ImageJob job) {
    return job.getMetadata().getName();
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Instant latest(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }

  private static Duration until(Instant now, Instant then) {
    Duration left = Duration.between(now, then);
    return left.isNegative() ? Duration.ZERO : left;
  }
}
