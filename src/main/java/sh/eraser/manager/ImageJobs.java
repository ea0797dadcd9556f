package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
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
  private final Optional<OwnerReference> deployment;

  /**
   * @param deployment the manager's Deployment, which then owns the worker pods and ConfigMaps of
   *     every run; without it, each run's ImageJob owns them
   */
  ImageJobs(KubernetesClient client, String namespace, Optional<OwnerReference> deployment) {
    this.client = client;
    this.namespace = namespace;
    this.deployment = deployment;
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
              client
                  .resource(ManualJob.imageListConfigMap(list, job, ownerOf(job), namespace))
                  .create();
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

    WorkerJob worker =
        new WorkerJob(job.getMetadata().getName(), ownerOf(job), namespace, mode, exclusions);
    WorkerPodBuilder pods = new WorkerPodBuilder(config, worker);
    // Limitation: pods are created here only. One that is deleted, or never created because the
    // manager stopped halfway, is not created again; its node fails at the run's deadline.
    for (String node : selection.selected()) {
      Pod pod = client.resource(pods.podFor(node)).create();
      log.info("worker pod {} created on node {}", pod.getMetadata().getName(), node);
    }
    return new Started(job, status);
  }

  /**
   * The owner of the job's worker pods and ConfigMap. The manager's Deployment when there is one,
   * and then alone: the garbage collector deletes a dependent only once every owner is gone, so the
   * job as a second owner would keep them after the Deployment. They carry the job's name as a
   * label, by which {@link #delete} and {@link #deleteOrphans} find them.
   */
  // Limitation: a scheduled ImageJob is cluster-scoped and cannot be owned by the namespaced
  // Deployment, so it outlives a deleted manager (its pods do not) until the CRD goes. Without a
  // Deployment the run's objects are owned by the ImageJob, and a deleted manager leaves them
  // until a manager runs again.
  private OwnerReference ownerOf(ImageJob job) {
    return deployment.orElseGet(() -> ManualJob.controllerReference(job));
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
   * Deletes the job's worker pods and ConfigMap, then the job. They may be owned by the manager's
   * Deployment rather than the job, so the garbage collector would not remove them with it; the job
   * goes last so that an interrupted cleanup is found and finished by the next reconcile.
   */
  void delete(ImageJob job) {
    String name = job.getMetadata().getName();
    client.pods().inNamespace(namespace).withLabels(Labels.jobSelector(name)).delete();
    client.configMaps().inNamespace(namespace).withLabels(Labels.jobSelector(name)).delete();
    client.resources(ImageJob.class).withName(name).delete();
    log.info("ImageJob {} deleted with its worker pods and ConfigMap", name);
  }

  /**
   * Deletes the worker pods and ConfigMaps labelled with a job that no longer exists: left by a job
   * deleted while no manager ran, or by the garbage collector deleting a job whose objects the
   * manager's Deployment owns. They are listed before the jobs, and a job is created before its
   * objects, so a run being started meanwhile is never taken for an orphan.
   */
  void deleteOrphans() {
    Set<String> labelled = labelledJobs();
    if (labelled.isEmpty()) {
      return;
    }
    Set<String> jobs =
        client.resources(ImageJob.class).list().getItems().stream()
            .map(job -> job.getMetadata().getName())
            .collect(Collectors.toSet());
    for (String name : labelled) {
      if (!jobs.contains(name)) {
        client.pods().inNamespace(namespace).withLabels(Labels.jobSelector(name)).delete();
        client.configMaps().inNamespace(namespace).withLabels(Labels.jobSelector(name)).delete();
        log.info("worker pods and ConfigMap of the deleted ImageJob {} deleted", name);
      }
    }
  }

  /** The jobs named by the job-name label of a pod or ConfigMap in the manager's namespace. */
  private Set<String> labelledJobs() {
    Set<String> jobs = new TreeSet<>();
    client
        .pods()
        .inNamespace(namespace)
        .withLabel(Labels.JOB_NAME_LABEL)
        .list()
        .getItems()
        .forEach(pod -> jobs.add(Labels.jobName(pod)));
    client
        .configMaps()
        .inNamespace(namespace)
        .withLabel(Labels.JOB_NAME_LABEL)
        .list()
        .getItems()
        .forEach(cm -> jobs.add(Labels.jobName(cm)));
    return jobs;
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
