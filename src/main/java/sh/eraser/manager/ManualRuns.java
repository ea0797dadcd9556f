package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sh.eraser.api.ImageJobStatus;
import sh.eraser.api.Names;
import sh.eraser.api.v1.ImageJob;
import sh.eraser.api.v1.ImageList;
import sh.eraser.config.EraserConfig;

/**
 * The API side of manual runs: starts a run of the ImageList (job, ConfigMap, worker pods), judges
 * it from its pods, and deletes it with everything it created.
 */
final class ManualRuns {

  private static final Logger log = LoggerFactory.getLogger(ManualRuns.class);

  private final KubernetesClient client;
  private final String namespace;

  ManualRuns(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** A run just started: its job and the status written before any pod was created. */
  record Started(ImageJob job, ImageJobStatus status) {}

  /** The list's runs, oldest first; normally none or one. */
  List<ImageJob> jobsOf(ImageList list) {
    return client
        .resources(ImageJob.class)
        .withLabel(Names.JOB_OWNER_LABEL, Names.JOB_OWNER_IMAGE_LIST)
        .list()
        .getItems()
        .stream()
        .filter(job -> ManualJob.ownedBy(job, list))
        .sorted(Comparator.comparing(job -> job.getMetadata().getCreationTimestamp()))
        .toList();
  }

  /**
   * Starts a run: creates the job, its ConfigMap, writes its status (Running, or already finished
   * when no node was selected) and then one worker pod per selected node.
   */
  Started start(ImageList list, EraserConfig config, Instant now) {
    List<String> exclusions = exclusionLists();
    NodeSelection selection = NodeSelection.of(nodes(), config.manager().nodeFilter());
    Instant deadline = now.plus(ManualJob.RUN_DEADLINE);
    ImageJob job = client.resource(ManualJob.imageJob(list, deadline)).create();
    ConfigMap images = client.resource(ManualJob.imageListConfigMap(list, job, namespace)).create();

    ImageJobStatus status =
        new JobJudge(config.manager().imageJob().successRatio(), deadline)
            .judge(selection, List.of(), now);
    job = writeStatus(job, status);

    WorkerJob worker =
        new WorkerJob(
            ManualJob.controllerReference(job),
            namespace,
            new WorkerMode.Manual(images.getMetadata().getName()),
            exclusions);
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
