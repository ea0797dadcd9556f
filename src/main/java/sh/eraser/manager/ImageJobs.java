package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sh.eraser.api.ImageJobStatus;
import sh.eraser.api.JobPhase;
import sh.eraser.api.Names;
import sh.eraser.api.v1.ImageJob;
import sh.eraser.api.v1.ImageList;
import sh.eraser.config.EraserConfig;

/**
 * The API side of runs, manual and scheduled alike: starts a run (job, worker pods and, for a
 * manual run, the ConfigMap of images), judges it from its pods, ends it, and deletes it with
 * everything it created. Each caller sees only the jobs of its own kind.
 */
final class ImageJobs {

  /** Condition type on an ended job; its lastTransitionTime is when the run ended. */
  static final String FINISHED = "Finished";

  private static final Logger log = LoggerFactory.getLogger(ImageJobs.class);

  private final KubernetesClient client;
  private final String namespace;

  ImageJobs(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** A run just started: its job and the status written before any pod was created. */
  record Started(ImageJob job, ImageJobStatus status) {}

  /** The list's runs, oldest first; normally none or one. */
  List<ImageJob> jobsOf(ImageList list) {
    return ownedBy(Names.JOB_OWNER_IMAGE_LIST).stream()
        .filter(job -> ManualJob.ownedBy(job, list))
        .toList();
  }

  /** The scheduled runs, oldest first: at most one active, and ended ones awaiting deletion. */
  List<ImageJob> scheduled() {
    return ownedBy(Names.JOB_OWNER_COLLECTOR);
  }

  private List<ImageJob> ownedBy(String owner) {
    return client
        .resources(ImageJob.class)
        .withLabel(Names.JOB_OWNER_LABEL, owner)
        .list()
        .getItems()
        .stream()
        .sorted(Comparator.comparing(job -> job.getMetadata().getCreationTimestamp()))
        .toList();
  }

  /** Starts a manual run of {@code list}: its job, the ConfigMap of images, the worker pods. */
  Started startManual(ImageList list, EraserConfig config, Instant now) {
    Instant deadline = now.plus(ManualJob.RUN_DEADLINE);
    return start(
        ManualJob.imageJob(list, deadline),
        job -> {
          ConfigMap images =
              client.resource(ManualJob.imageListConfigMap(list, job, namespace)).create();
          return new WorkerMode.Manual(images.getMetadata().getName());
        },
        config,
        deadline,
        now);
  }

  /** Starts a scheduled run: collector, remover and, when enabled, scanner on every node. */
  Started startScheduled(EraserConfig config, Instant now) {
    Instant deadline = now.plus(ScheduledJob.runDeadline(config));
    return start(
        ScheduledJob.imageJob(deadline), job -> new WorkerMode.Scheduled(), config, deadline, now);
  }

  /**
   * Starts a run: creates the job and what its mode needs, writes its status (Running, or already
   * finished when no node was selected) and then one worker pod per selected node.
   */
  private Started start(
      ImageJob template,
      Function<ImageJob, WorkerMode> modeFor,
      EraserConfig config,
      Instant deadline,
      Instant now) {
    List<String> exclusions = exclusionLists();
    NodeSelection selection = NodeSelection.of(nodes(), config.manager().nodeFilter());
    ImageJob job = client.resource(template).create();
    WorkerMode mode = modeFor.apply(job);

    ImageJobStatus status =
        new JobJudge(config.manager().imageJob().successRatio(), deadline)
            .judge(selection, List.of(), now);
    job = writeStatus(job, status);

    // Limitation: worker pods and ConfigMaps are owned by their ImageJob, not by the manager's
    // Deployment, so deleting the Deployment mid-run leaves the run's pods until a manager runs
    // again and adopts the run; scheduled ImageJobs have no owner and stay until the CRD goes.
    WorkerJob worker =
        new WorkerJob(ManualJob.controllerReference(job), namespace, mode, exclusions);
    WorkerPodBuilder pods = new WorkerPodBuilder(config, worker);
    // Limitation: pods are created here only. One that is deleted, or never created because the
    // manager stopped halfway, is not created again; its node fails at the run's deadline.
    for (String node : selection.selected()) {
      Pod pod = client.resource(pods.podFor(node)).create();
      log.info("worker pod {} created on node {}", pod.getMetadata().getName(), node);
    }
    return new Started(job, status);
  }

  /** The job's status judged from its worker pods now. */
  ImageJobStatus judge(ImageJob job, double successRatio, Instant now) {
    List<Pod> pods =
        client
            .pods()
            .inNamespace(namespace)
            .withLabels(Labels.jobSelector(job.getMetadata().getName()))
            .list()
            .getItems();
    NodeSelection selection = NodeSelection.fromStatus(job.getStatus());
    return new JobJudge(successRatio, ManualJob.deadline(job)).judge(selection, pods, now);
  }

  /**
   * Ends the run with its judged status: sets when it may be deleted, from the cleanup delay of its
   * outcome, and the {@value #FINISHED} condition that records when it ended.
   */
  ImageJob end(ImageJob job, ImageJobStatus judged, EraserConfig config, Instant now) {
    EraserConfig.Cleanup cleanup = config.manager().imageJob().cleanup();
    boolean completed = judged.getPhase() == JobPhase.COMPLETED;
    judged.setDeleteAfter(
        now.plus(completed ? cleanup.delayOnSuccess() : cleanup.delayOnFailure()));
    String reason = completed ? RunEvents.REASON_COMPLETED : RunEvents.REASON_FAILED;
    judged.setConditions(
        Conditions.with(
            judged.getConditions(),
            Conditions.of(
                FINISHED,
                Conditions.TRUE,
                reason,
                RunEvents.counts(judged),
                job.getMetadata().getGeneration() == null ? 0 : job.getMetadata().getGeneration(),
                now)));
    return writeStatus(job, judged);
  }

  /** When the ended {@code job} ended; empty for a job ended without the condition. */
  static Optional<Instant> finishedAt(ImageJob job) {
    if (job.getStatus() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> FINISHED.equals(c.getType()) && c.getLastTransitionTime() != null)
        .findFirst()
        .flatMap(c -> parse(c.getLastTransitionTime()));
  }

  private static Optional<Instant> parse(String time) {
    try {
      return Optional.of(Instant.parse(time));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Replaces the job's status through the status subresource. */
  ImageJob writeStatus(ImageJob job, ImageJobStatus status) {
    try {
      return client
          .resources(ImageJob.class)
          .withName(job.getMetadata().getName())
          .editStatus(
              current -> {
                current.setStatus(status);
                return current;
              });
    } catch (KubernetesClientException e) {
      throw new KubernetesClientException(
          "cannot write the status of ImageJob " + job.getMetadata().getName(), e);
    }
  }

  /**
   * Deletes the job's worker pods and ConfigMap, then the job. On a cluster the garbage collector
   * would remove the first two with the job; deleting them here does not depend on it, and the job
   * goes last so that an interrupted cleanup is found and finished by the next reconcile.
   */
  void delete(ImageJob job) {
    String name = job.getMetadata().getName();
    client.pods().inNamespace(namespace).withLabels(Labels.jobSelector(name)).delete();
    client.configMaps().inNamespace(namespace).withLabels(Labels.jobSelector(name)).delete();
    client.resources(ImageJob.class).withName(name).delete();
    log.info("ImageJob {} deleted with its worker pods and ConfigMap", name);
  }

  private List<Node> nodes() {
    return client.nodes().list().getItems();
  }

  /** The exclusion-list ConfigMaps in the manager's namespace, by name. */
  private List<String> exclusionLists() {
    return client
        .configMaps()
        .inNamespace(namespace)
        .withLabel(Names.EXCLUDE_LIST_LABEL, "true")
        .list()
        .getItems()
        .stream()
        .map(cm -> cm.getMetadata().getName())
        .toList();
  }
}
