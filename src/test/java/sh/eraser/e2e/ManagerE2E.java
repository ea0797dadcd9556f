package sh.eraser.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.api.JobPhase;
import sh.eraser.api.Names;
import sh.eraser.api.v1.ImageJob;
import sh.eraser.api.v1.ImageList;
import sh.eraser.testing.OciArchive;

/**
 * The controller-manager on a real cluster: leader election between two replicas, the garbage
 * collector removing a run's pods with the manager's Deployment, and Events on the ImageList as
 * {@code kubectl describe} shows them. The managers run from the shaded jar with the cluster's
 * kubeconfig; worker pods run small test images on the cluster's nodes.
 */
class ManagerE2E {

  /** A worker image that ends at once with status 0: every run it is used for succeeds. */
  private static final String FINISHING_WORKER = "docker.io/eraser-e2e/finishing-worker:1";

  /** A worker image that runs until it is stopped: its run stays active. */
  private static final String BUSY_WORKER = "docker.io/eraser-e2e/busy-worker:1";

  private static final Duration LEASE_TAKEOVER = Duration.ofSeconds(90);

  private static E2ECluster cluster;
  private KubernetesClient client;
  private String namespace;
  private final List<ManagerProcess> managers = new java.util.ArrayList<>();

  @BeforeAll
  static void images(@TempDir Path dir) throws Exception {
    cluster = E2ECluster.fromSystemProperties();
    cluster.installCrds();
    Path archive = dir.resolve("workers.tar");
    OciArchive.builder()
        .image(OciArchive.EXITING_VARIANT_PREFIX + "worker", FINISHING_WORKER)
        .image("busy-worker", BUSY_WORKER)
        .write(archive);
    cluster.importEverywhere(archive);
    Files.delete(archive);
  }

  @BeforeEach
  void namespace() {
    client = cluster.client();
    namespace = "eraser-e2e-" + UUID.randomUUID().toString().substring(0, 8);
    cluster.createNamespace(namespace);
    // What the chart creates next to the manager: the service account of the worker pods.
    client
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("eraser-imagejob-pods")
                .withNamespace(namespace)
                .endMetadata()
                .build())
        .create();
  }

  @AfterEach
  void cleanUp() {
    managers.forEach(ManagerProcess::close);
    client.resources(ImageList.class).withName(Names.IMAGE_LIST).delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> client.resources(ImageList.class).withName(Names.IMAGE_LIST).get() == null);
    client.resources(ImageJob.class).delete();
    cluster.deleteNamespace(namespace);
  }

  @Test
  void onlyTheLeaseHolderRunsAndTheOtherReplicaTakesOverWhenItDies() {
    useWorkerImage(FINISHING_WORKER);
    ManagerProcess a = manager("manager-a", "--pod-name", "manager-a");
    ManagerProcess b = manager("manager-b", "--pod-name", "manager-b");
    await().atMost(Duration.ofSeconds(60)).until(() -> a.isReady() && b.isReady());
    String first = awaitLeaseHolder(List.of("manager-a", "manager-b"));

    client
        .resource(new ImageList(Names.IMAGE_LIST, List.of("docker.io/eraser-e2e/gone:1")))
        .create();
    ImageList done = awaitRunOf(1L);

    int nodes = cluster.nodeNames().size();
    assertThat(done.getStatus().getSuccess()).isEqualTo(nodes);
    ManagerProcess leader = first.equals("manager-a") ? a : b;
    ManagerProcess standby = leader == a ? b : a;
    // One run: the leader created one worker pod per node, the standby none.
    assertThat(leader.output().lines().filter(l -> l.contains("created on node")).count())
        .isEqualTo(nodes);
    assertThat(standby.output()).doesNotContain("created on node");

    leader.kill();
    assertThat(awaitLeaseHolder(List.of(standby.name()))).isEqualTo(standby.name());
    ImageList edited = client.resources(ImageList.class).withName(Names.IMAGE_LIST).get();
    edited
        .getSpec()
        .setImages(List.of("docker.io/eraser-e2e/gone:1", "docker.io/eraser-e2e/gone:2"));
    client.resource(edited).update();

    ImageList second = awaitRunOf(2L);
    assertThat(second.getStatus().getPhase()).isEqualTo(JobPhase.COMPLETED);
    assertThat(standby.isAlive()).isTrue();
  }

  @Test
  void deletingTheManagerDeploymentTakesTheRunsPodsAndConfigMapWithIt() {
    useWorkerImage(BUSY_WORKER);
    Deployment deployment = client.resource(managerDeployment()).create();
    Pod managerPod = awaitManagerPod();
    manager(
        "owned-manager", "--pod-name", managerPod.getMetadata().getName(), "--leader-elect=false");

    client
        .resource(new ImageList(Names.IMAGE_LIST, List.of("docker.io/eraser-e2e/gone:1")))
        .create();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> workerPods().size() == cluster.nodeNames().size());
    for (Pod pod : workerPods()) {
      assertThat(pod.getMetadata().getOwnerReferences())
          .extracting(OwnerReference::getUid)
          .contains(deployment.getMetadata().getUid());
    }
    assertThat(runConfigMaps()).isNotEmpty();

    managers.forEach(ManagerProcess::kill);
    client.resource(deployment).delete();

    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              assertThat(workerPods()).isEmpty();
              assertThat(runConfigMaps()).isEmpty();
              assertThat(client.pods().inNamespace(namespace).list().getItems()).isEmpty();
            });
  }

  @Test
  void kubectlDescribeShowsTheRunsEventsOnTheImageList() {
    useWorkerImage(FINISHING_WORKER);
    manager("describe-manager", "--leader-elect=false");

    client
        .resource(new ImageList(Names.IMAGE_LIST, List.of("docker.io/eraser-e2e/gone:1")))
        .create();
    awaitRunOf(1L);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(cluster.kubectl("describe", "imagelist", Names.IMAGE_LIST))
                    .contains("RunStarted")
                    .contains("RunCompleted")
                    .contains("NodeCleaned"));
  }

  @Test
  void aRunThatTheApiServerRefusesIsExplainedByAWarningOnTheImageList() {
    useWorkerImage(FINISHING_WORKER);
    client.serviceAccounts().inNamespace(namespace).withName("eraser-imagejob-pods").delete();
    manager("refused-manager", "--leader-elect=false");

    client
        .resource(new ImageList(Names.IMAGE_LIST, List.of("docker.io/eraser-e2e/gone:1")))
        .create();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(cluster.kubectl("describe", "imagelist", Names.IMAGE_LIST))
                    .contains("ReconcileFailed")
                    .contains("serviceaccount \"eraser-imagejob-pods\" not found"));
  }

  private ManagerProcess manager(String name, String... args) {
    ManagerProcess manager = ManagerProcess.start(cluster, name, namespace, args);
    managers.add(manager);
    return manager;
  }

  private void useWorkerImage(String image) {
    String repo = image.substring(0, image.lastIndexOf(':'));
    String tag = image.substring(image.lastIndexOf(':') + 1);
    String document =
        String.join(
            "\n",
            "apiVersion: eraser.sh/v1alpha3",
            "kind: EraserConfig",
            "components:",
            "  collector: {enabled: false}",
            "  scanner: {enabled: false}",
            "  remover: {image: {repo: " + repo + ", tag: \"" + tag + "\"}}",
            "");
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("eraser-manager-config")
                .withNamespace(namespace)
                .endMetadata()
                .withData(Map.of("controller_manager_config.yaml", document))
                .build())
        .create();
  }

  private String awaitLeaseHolder(List<String> candidates) {
    return await()
        .atMost(LEASE_TAKEOVER)
        .until(
            () -> {
              Lease lease =
                  client
                      .leases()
                      .inNamespace(namespace)
                      .withName("eraser-controller-manager")
                      .get();
              return lease == null ? null : lease.getSpec().getHolderIdentity();
            },
            holder -> holder != null && candidates.contains(holder));
  }

  /** Waits until the ImageList's run for this generation has ended, and returns the ImageList. */
  private ImageList awaitRunOf(long generation) {
    return await()
        .atMost(Duration.ofSeconds(180))
        .until(
            () -> client.resources(ImageList.class).withName(Names.IMAGE_LIST).get(),
            list ->
                list.getStatus() != null
                    && list.getStatus().getObservedGeneration() != null
                    && list.getStatus().getObservedGeneration() == generation
                    && list.getStatus().getPhase() == JobPhase.COMPLETED);
  }

  private Deployment managerDeployment() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("eraser-controller-manager")
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewSelector()
        .addToMatchLabels("app", "eraser-e2e-manager")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "eraser-e2e-manager")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("manager")
        .withImage(BUSY_WORKER)
        .withImagePullPolicy("IfNotPresent")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private Pod awaitManagerPod() {
    return await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                client
                    .pods()
                    .inNamespace(namespace)
                    .withLabel("app", "eraser-e2e-manager")
                    .list()
                    .getItems()
                    .stream()
                    .findFirst()
                    .orElse(null),
            pod -> pod != null);
  }

  private List<Pod> workerPods() {
    return client.pods().inNamespace(namespace).withLabel(Names.TYPE_LABEL).list().getItems();
  }

  private List<String> runConfigMaps() {
    return client.configMaps().inNamespace(namespace).list().getItems().stream()
        .map(c -> c.getMetadata().getName())
        .filter(name -> name.startsWith("imagelist-"))
        .toList();
  }
}
