package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sh.eraser.api.ImageJobStatus;
import sh.eraser.api.ImageListStatus;
import sh.eraser.api.JobPhase;
import sh.eraser.api.Names;
import sh.eraser.api.v1.ImageJob;
import sh.eraser.api.v1.ImageList;
import sh.eraser.config.EraserConfig;
import sh.eraser.manager.RunEvents.RunEvent;
import sh.eraser.metrics.FinishedRun;
import sh.eraser.metrics.RunMetrics;

/**
 * Runs manual mode: for the ImageList named {@value Names#IMAGE_LIST}, starts a run (an ImageJob
 * and one worker pod per selected node) on every spec change, follows it to its end, writes the
 * outcome into the list's status and Events, and deletes the run once its cleanup delay is over.
 * Every other ImageList is marked as ignored in its status.
 *
 * <p>Reconciles are triggered on every event, deletion included, so a deleted ImageList's run is
 * removed at once without a finalizer on the list. The garbage collector also removes the ImageJob
 * through its owner reference, even while the manager is down; the worker pods and ConfigMap, which
 * the manager's Deployment may own instead, are then removed as orphans.
 */
@ControllerConfiguration(name = Names.JOB_OWNER_IMAGE_LIST, triggerReconcilerOnAllEvents = true)
public final class ImageListReconciler implements Reconciler<ImageList> {

  static final String IGNORED = "Ignored";

  /** Reason of the Warning Event when a reconcile fails and is retried. */
  static final String REASON_RECONCILE_FAILED = "ReconcileFailed";

  /** Characters of an API error kept in an Event; the API server's messages can be long. */
  private static final int MAX_ERROR_MESSAGE = 600;

  static final String REASON_NOT_NAMED_IMAGELIST = "NotNamedImagelist";
  static final String IGNORED_MESSAGE =
      "only the ImageList named \"" + Names.IMAGE_LIST + "\" is acted on";

  /** Condition type: True while a run of the list is active. */
  static final String RUNNING = "Running";

  /** Condition type: whether the last run reached the success ratio; Unknown while it runs. */
  static final String SUCCEEDED = "Succeeded";

  /** How often an active run is judged again from its worker pods. */
  static final Duration DEFAULT_POLL = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(ImageListReconciler.class);

  private final ConfigSource config;
  private final String namespace;
  private final Optional<OwnerReference> deployment;
  private final Clock clock;
  private final Duration poll;
  private final RunMetrics metrics;

  /**
   * @param namespace the manager's namespace: worker pods, ConfigMaps and Events go there
   * @param deployment the manager's Deployment, owner of the runs' pods and ConfigMaps, if any
   * @param metrics where each ended run is recorded
   */
  public ImageListReconciler(
      ConfigSource config,
      String namespace,
      Optional<OwnerReference> deployment,
      RunMetrics metrics) {
    this(config, namespace, deployment, Clock.systemUTC(), DEFAULT_POLL, metrics);
  }

  ImageListReconciler(ConfigSource config, String namespace, Clock clock, Duration poll) {
    this(config, namespace, clock, poll, new RunMetrics(new SimpleMeterRegistry()));
  }

  ImageListReconciler(
      ConfigSource config, String namespace, Clock clock, Duration poll, RunMetrics metrics) {
    this(config, namespace, Optional.empty(), clock, poll, metrics);
  }

  ImageListReconciler(
      ConfigSource config,
      String namespace,
      Optional<OwnerReference> deployment,
      Clock clock,
      Duration poll,
      RunMetrics metrics) {
    this.config = config;
    this.namespace = namespace;
    this.deployment = deployment;
    this.clock = clock;
    this.poll = poll;
    this.metrics = metrics;
  }

  @Override
  public UpdateControl<ImageList> reconcile(ImageList imageList, Context<ImageList> context) {
    if (!Names.IMAGE_LIST.equals(imageList.getMetadata().getName())) {
      return context.isPrimaryResourceDeleted()
          ? UpdateControl.noUpdate()
          : record(imageList, ignored(imageList));
    }
    Run run =
        new Run(imageList, new ImageJobs(context.getClient(), namespace, deployment), context);

    if (context.isPrimaryResourceDeleted()) {
      run.deleteAll();
      return UpdateControl.noUpdate();
    }

    List<ImageJob> jobs = run.runs.jobsOf(imageList);
    if (jobs.isEmpty()) {
      return run.startIfEdited();
    }
    ImageJob job = run.keepNewest(jobs);
    JobPhase phase = job.getStatus() == null ? JobPhase.NEW : job.getStatus().getPhase();
    if (phase == JobPhase.NEW) {
      return run.abandon(job);
    }
    return phase.isFinished() ? run.afterEnd(job) : run.follow(job);
  }

  /**
   * A reconcile that failed (the API server refused a worker pod, say, because its service account
   * is missing) is retried by the framework; a Warning Event on the ImageList tells the admin why
   * nothing happens meanwhile, in the API server's own words.
   */
  @Override
  public ErrorStatusUpdateControl<ImageList> updateErrorStatus(
      ImageList imageList, Context<ImageList> context, Exception e) {
    if (Names.IMAGE_LIST.equals(imageList.getMetadata().getName())) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      new EventRecorder(context.getClient())
          .recordClusterScoped(
              reference(imageList),
              true,
              REASON_RECONCILE_FAILED,
              "cannot act on the ImageList: " + abbreviate(message));
    }
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }

  private static String abbreviate(String message) {
    return message.length() <= MAX_ERROR_MESSAGE
        ? message
        : message.substring(0, MAX_ERROR_MESSAGE) + "…";
  }

  /** One reconcile of the ImageList {@value Names#IMAGE_LIST}. */
  private final class Run {
    private final ImageList list;
    private final ImageJobs runs;
    private final EventRecorder events;
    private final EraserConfig settings = config.current();
    private final Instant now = clock.instant();

    Run(ImageList list, ImageJobs runs, Context<ImageList> context) {
      this.list = list;
      this.runs = runs;
      this.events = new EventRecorder(context.getClient());
    }

    void deleteAll() {
      for (ImageJob job : runs.jobsOf(list)) {
        runs.delete(job);
      }
      // The garbage collector may have deleted a job first, leaving what the Deployment owns.
      runs.deleteOrphans();
      log.info("ImageList deleted; its runs are removed");
    }

    /** Starts a run if the spec has changed since the last one started. */
    UpdateControl<ImageList> startIfEdited() {
      ImageListStatus status = list.getStatus();
      Long observed = status == null ? null : status.getObservedGeneration();
      if (observed != null && observed >= list.getMetadata().getGeneration()) {
        return UpdateControl.noUpdate();
      }
      return start();
    }

    private UpdateControl<ImageList> start() {
      ImageJobs.Started started = runs.startManual(list, settings, now);
      String job = started.job().getMetadata().getName();
      ImageJobStatus jobStatus = started.status();
      log.info(
          "run {} started for generation {}: {}",
          job,
          list.getMetadata().getGeneration(),
          RunEvents.counts(jobStatus));
      ImageListStatus status = status();
      status.setPhase(JobPhase.RUNNING);
      status.setLastJob(job);
      status.setObservedGeneration(list.getMetadata().getGeneration());
      long generation = list.getMetadata().getGeneration();
      String active = "run " + job + " is active";
      condition(status, RUNNING, "True", RunEvents.REASON_STARTED, active, generation);
      String open = "run " + job + " has not ended";
      condition(status, SUCCEEDED, "Unknown", RunEvents.REASON_STARTED, open, generation);
      record(RunEvents.started(job, jobStatus));
      return UpdateControl.patchStatus(list).rescheduleAfter(poll);
    }

    /** Several runs of one list: a crash between two steps left one behind. */
    ImageJob keepNewest(List<ImageJob> jobs) {
      for (ImageJob older : jobs.subList(0, jobs.size() - 1)) {
        log.warn("deleting the older run {} of the same list", older.getMetadata().getName());
        runs.delete(older);
      }
      return jobs.get(jobs.size() - 1);
    }

    /**
     * A job whose status was never written: the manager stopped while starting it, before any
     * worker pod was created. It is removed and the run started again.
     */
    UpdateControl<ImageList> abandon(ImageJob job) {
      log.warn("run {} was left half-started; starting it again", job.getMetadata().getName());
      runs.delete(job);
      return start();
    }

    /** Judges an active run again, and records its end when it has ended. */
    UpdateControl<ImageList> follow(ImageJob job) {
      double ratio = settings.manager().imageJob().successRatio();
      ImageJobStatus judged = runs.judge(job, ratio, now);
      if (!judged.getPhase().isFinished()) {
        if (!judged.equals(job.getStatus())) {
          runs.writeStatus(job, judged);
        }
        // Limitation: the pods are polled, not watched, so an end is noticed up to one poll late.
        return UpdateControl.<ImageList>noUpdate().rescheduleAfter(poll);
      }

      ImageJob ended = runs.end(job, judged, settings, now);
      String name = job.getMetadata().getName();
      log.info("run {} {}: {}", name, judged.getPhase(), RunEvents.counts(judged));
      metrics.ended(FinishedRuns.of(FinishedRun.MANUAL, job, judged, now));
      RunEvents.finished(name, judged).forEach(this::record);
      copyOutcome(ended);
      return UpdateControl.patchStatus(list).rescheduleAfter(untilDeletion(judged));
    }

    /** Deletes an ended run when its delay is over, then starts the next if the spec changed. */
    UpdateControl<ImageList> afterEnd(ImageJob job) {
      boolean behind = !outcomeCopied(job);
      if (behind) {
        // The manager stopped between ending the job and writing the list's status.
        copyOutcome(job);
      }
      Duration wait = untilDeletion(job.getStatus());
      if (!wait.isZero()) {
        UpdateControl<ImageList> control =
            behind ? UpdateControl.patchStatus(list) : UpdateControl.noUpdate();
        return control.rescheduleAfter(wait);
      }

      runs.delete(job);
      if (list.getMetadata().getGeneration() > ManualJob.generation(job)) {
        return start();
      }
      return behind ? UpdateControl.patchStatus(list) : UpdateControl.noUpdate();
    }

    /** The time left before the job may be deleted; zero when it may be now. */
    private Duration untilDeletion(ImageJobStatus status) {
      Instant deleteAfter = status.getDeleteAfter() == null ? now : status.getDeleteAfter();
      Duration left = Duration.between(now, deleteAfter);
      return left.isNegative() ? Duration.ZERO : left;
    }

    private boolean outcomeCopied(ImageJob job) {
      ImageListStatus status = list.getStatus();
      return status != null
          && job.getMetadata().getName().equals(status.getLastJob())
          && status.getPhase() == job.getStatus().getPhase();
    }

    /** Copies the ended job's counts and phase into the list's status. */
    private void copyOutcome(ImageJob job) {
      ImageJobStatus ended = job.getStatus();
      String name = job.getMetadata().getName();
      boolean completed = ended.getPhase() == JobPhase.COMPLETED;
      String reason = completed ? RunEvents.REASON_COMPLETED : RunEvents.REASON_FAILED;
      String message =
          "run " + name + (completed ? " completed: " : " failed: ") + RunEvents.counts(ended);
      ImageListStatus status = status();
      status.setTimestamp(now);
      status.setSuccess(ended.getSucceeded());
      status.setFailed(ended.getFailed());
      status.setSkipped(ended.getSkipped());
      status.setRemoved(RunEvents.imagesRemoved(ended));
      status.setPhase(ended.getPhase());
      status.setLastJob(name);
      long generation = ManualJob.generation(job);
      condition(status, RUNNING, "False", reason, message, generation);
      condition(status, SUCCEEDED, completed ? "True" : "False", reason, message, generation);
    }

    private ImageListStatus status() {
      if (list.getStatus() == null) {
        list.setStatus(new ImageListStatus());
      }
      return list.getStatus();
    }

    /** Sets a condition observed on {@code generation}, the one the run acts on. */
    private void condition(
        ImageListStatus status,
        String type,
        String value,
        String reason,
        String message,
        long generation) {
      Condition condition = Conditions.of(type, value, reason, message, generation);
      status.setConditions(Conditions.with(status.getConditions(), condition));
    }

    private void record(RunEvent event) {
      events.recordClusterScoped(reference(list), event.warning(), event.reason(), event.message());
    }
  }

  private static ObjectReference reference(ImageList list) {
    return new ObjectReferenceBuilder()
        .withApiVersion(list.getApiVersion())
        .withKind(list.getKind())
        .withName(list.getMetadata().getName())
        .withUid(list.getMetadata().getUid())
        .withResourceVersion(list.getMetadata().getResourceVersion())
        .build();
  }

  private static Condition ignored(ImageList imageList) {
    return Conditions.of(
        IGNORED,
        Conditions.TRUE,
        REASON_NOT_NAMED_IMAGELIST,
        IGNORED_MESSAGE,
        imageList.getMetadata().getGeneration());
  }

  /** Writes the generation and the condition, unless the status says so already. */
  private static UpdateControl<ImageList> record(ImageList imageList, Condition condition) {
    Long generation = imageList.getMetadata().getGeneration();
    ImageListStatus status =
        imageList.getStatus() == null ? new ImageListStatus() : imageList.getStatus();
    if (generation.equals(status.getObservedGeneration())
        && Conditions.holds(status.getConditions(), condition)) {
      return UpdateControl.noUpdate();
    }

    status.setObservedGeneration(generation);
    status.setConditions(Conditions.with(status.getConditions(), condition));
    imageList.setStatus(status);
    log.info(
        "condition {}={} ({}) at generation {}",
        condition.getType(),
        condition.getStatus(),
        condition.getReason(),
        generation);
    return UpdateControl.patchStatus(imageList);
  }
}
