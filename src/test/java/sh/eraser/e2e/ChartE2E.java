package sh.eraser.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.api.JobPhase;
import sh.eraser.api.Names;
import sh.eraser.api.v1.ImageJob;
import sh.eraser.api.v1.ImageList;
import sh.eraser.metrics.WorkerMetrics;
import sh.eraser.scanner.ScanImages;
import sh.eraser.testing.LayeredImageArchive;
import sh.eraser.testing.OciArchive;
import sh.eraser.testing.OtlpReceiver;

/**
 * Eraser as a cluster admin meets it: installed with its Helm chart into {@code eraser-system},
 * running the project's image on every node, removing images that the test imported into each
 * node's containerd. Images on a node are read from that node's containerd.
 */
class ChartE2E {

  private static final String NAMESPACE = "eraser-system";
  private static final String APPS = "eraser-e2e-apps";
  private static final String RUNNING = "docker.io/eraser-e2e/nginx:1";
  private static final String REDIS = "docker.io/eraser-e2e/redis:1";
  private static final String CADDY = "docker.io/eraser-e2e/caddy:1";
  private static final String ALIAS_ONE = "docker.io/eraser-e2e/alias:one";
  private static final String ALIAS_TWO = "docker.io/eraser-e2e/alias:two";
  private static final String VULNERABLE = "docker.io/eraser-e2e/api:1";
  private static final String PATCHED = "docker.io/eraser-e2e/api:2";
  private static final String CUSTOM_SOCKET = "/run/eraser-e2e/runtime/address.sock";
  private static final String BUSY_REMOVER = "docker.io/eraser-e2e/busy-remover:1";
  private static final Duration RUN = Duration.ofMinutes(4);

  private static E2ECluster cluster;
  private static Path testImages;
  private KubernetesClient client;

  @TempDir Path dir;
  private final List<OtlpReceiver> receivers = new ArrayList<>();

  @BeforeAll
  static void cluster(@TempDir Path shared) {
    cluster = E2ECluster.fromSystemProperties();
    // As on a cluster that never had Eraser: CRDs applied by other suites, or kept from an earlier
    // release and applied to since, carry another field manager's fields, and helm's server-side
    // apply would refuse to take them over.
    cluster.deleteCrds();
    testImages = shared.resolve("apps.tar");
    OciArchive.builder()
        .image("nginx", RUNNING)
        .image("redis", REDIS)
        .image("caddy", CADDY)
        .image("alias", ALIAS_ONE, ALIAS_TWO)
        .image("busy-remover", BUSY_REMOVER)
        .write(testImages);
  }

  @AfterAll
  static void deleteApps() {
    if (cluster.client().namespaces().withName(APPS).get() != null) {
      cluster.deleteNamespace(APPS);
    }
  }

  @BeforeEach
  void images() {
    client = cluster.client();
    cluster.importEverywhere(testImages);
    if (client.namespaces().withName(APPS).get() == null) {
      cluster.createNamespace(APPS);
    }
    for (String node : cluster.nodeNames()) {
      String name = "nginx-" + node;
      if (client.pods().inNamespace(APPS).withName(name).get() == null) {
        client.resource(runningPod(name, node)).create();
      }
    }
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                client.pods().inNamespace(APPS).list().getItems().stream()
                        .filter(p -> "Running".equals(p.getStatus().getPhase()))
                        .count()
                    == cluster.nodeNames().size());
  }

  @AfterEach
  void uninstall() {
    receivers.forEach(OtlpReceiver::close);
    client.resources(ImageList.class).withName(Names.IMAGE_LIST).delete();
    if (helmReleaseExists()) {
      helm("uninstall", "eraser", "-n", NAMESPACE, "--wait", "--timeout", "3m");
    }
    for (var node : client.nodes().list().getItems()) {
      if (node.getMetadata().getLabels().containsKey(Names.CLEANUP_FILTER_LABEL)) {
        client
            .nodes()
            .withName(node.getMetadata().getName())
            .edit(
                n -> {
                  n.getMetadata().getLabels().remove(Names.CLEANUP_FILTER_LABEL);
                  return n;
                });
      }
    }
    if (client.namespaces().withName(NAMESPACE).get() != null) {
      cluster.deleteNamespace(NAMESPACE);
    }
    // A scheduled run's ImageJob is cluster-scoped and outlives the uninstall (a known
    // limitation); the next install would follow it until its deadline.
    client.resources(ImageJob.class).delete();
  }

  @Test
  void anImageListRemovesItsImagesOnEveryNodeAndAWildcardEverythingUnused() throws IOException {
    install(manualOnly());

    apply(List.of(REDIS));
    awaitRun(1L);
    for (String node : cluster.nodeNames()) {
      assertThat(cluster.imagesOn(node)).doesNotContain(REDIS).contains(CADDY, RUNNING);
    }

    Map<String, List<String>> sandboxImages = new HashMap<>();
    for (String node : cluster.nodeNames()) {
      List<String> pause =
          cluster.imagesOn(node).stream().filter(i -> i.contains("/pause:")).toList();
      assertThat(pause).as("sandbox image on %s", node).isNotEmpty();
      sandboxImages.put(node, pause);
    }
    ImageList list = client.resources(ImageList.class).withName(Names.IMAGE_LIST).get();
    list.getSpec().setImages(List.of("*"));
    client.resource(list).update();
    awaitRun(2L);
    for (String node : cluster.nodeNames()) {
      assertThat(cluster.imagesOn(node))
          .doesNotContain(REDIS, CADDY)
          // In use: the running pod, the sandbox image, the workers' own image.
          .contains(RUNNING, E2ECluster.image())
          .containsAll(sandboxImages.get(node));
    }
    // The finished runs were cleaned up, and no worker pod comes back.
    await()
        .during(Duration.ofSeconds(30))
        .atMost(Duration.ofSeconds(90))
        .until(() -> workerPods().isEmpty());
    // The manager kept its Lease all along (renewing it needs the chart's RBAC).
    assertThat(managerPod().getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
  }

  @Test
  void anExcludedImageStaysOnEveryNode() throws IOException {
    install(manualOnly());
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("excluded-team-images")
                .withNamespace(NAMESPACE)
                .addToLabels(Names.EXCLUDE_LIST_LABEL, "true")
                .endMetadata()
                .withData(Map.of("excluded.json", "{\"excluded\": [\"docker.io/eraser-e2e/*\"]}"))
                .build())
        .create();

    apply(List.of(REDIS));
    ImageList done = awaitRun(1L);

    assertThat(done.getStatus().getSuccess()).isEqualTo(cluster.nodeNames().size());
    for (String node : cluster.nodeNames()) {
      assertThat(cluster.imagesOn(node)).contains(REDIS, CADDY);
    }
  }

  @Test
  void anIncludeFilterCleansOnlyTheLabelledNode() throws IOException {
    String labelled = cluster.nodeNames().get(cluster.nodeNames().size() - 1);
    client
        .nodes()
        .withName(labelled)
        .edit(
            n -> {
              n.getMetadata().getLabels().put(Names.CLEANUP_FILTER_LABEL, "true");
              return n;
            });
    install(
        manualOnly()
            + "  manager:\n"
            + "    nodeFilter:\n"
            + "      type: include\n"
            + "      selectors: [eraser.sh/cleanup.filter]\n");

    apply(List.of(REDIS));
    awaitRun(1L);

    for (String node : cluster.nodeNames()) {
      if (node.equals(labelled)) {
        assertThat(cluster.imagesOn(node)).doesNotContain(REDIS);
      } else {
        assertThat(cluster.imagesOn(node)).contains(REDIS);
      }
    }
  }

  @Test
  void scheduledModeWithoutTheScannerRemovesEveryUnusedImageAndPullSecretsReachEveryPod()
      throws IOException {
    OtlpReceiver receiver = startReceiver();
    // The images are on the nodes already, so the secret is only named, never used to pull.
    install(
        String.join(
            "\n",
            "runtimeConfig:",
            "  manager:",
            "    otlpEndpoint: \"" + receiver.endpoint() + "\"",
            "    pullSecrets: [testsecret]",
            "    scheduling: {repeatInterval: 24h, beginImmediately: true}",
            // The finished run's pods stay to be looked at.
            "    imageJob: {cleanup: {delayOnSuccess: 10m}}",
            "  components:",
            "    scanner: {enabled: false}",
            ""));

    cluster.awaitGoneFromEveryNode(RUN, REDIS, CADDY);
    for (String node : cluster.nodeNames()) {
      assertThat(cluster.imagesOn(node)).contains(RUNNING, E2ECluster.image());
    }
    List<Pod> seen =
        client.pods().inNamespace(NAMESPACE).withLabel(Names.TYPE_LABEL).list().getItems();
    assertThat(seen).hasSize(cluster.nodeNames().size());
    assertThat(seen)
        .allSatisfy(
            pod ->
                assertThat(pod.getSpec().getImagePullSecrets())
                    .extracting(LocalObjectReference::getName)
                    .contains("testsecret"));
    Pod manager =
        client
            .pods()
            .inNamespace(NAMESPACE)
            .withLabel("app.kubernetes.io/name", "eraser")
            .list()
            .getItems()
            .stream()
            .filter(p -> p.getMetadata().getName().startsWith("eraser-controller-manager"))
            .findFirst()
            .orElseThrow();
    assertThat(manager.getSpec().getImagePullSecrets())
        .extracting(LocalObjectReference::getName)
        .contains("testsecret");
    // At least redis and caddy went on every node.
    awaitPerNodeCounter(receiver, "images_removed_run_total", 2);

    // A manual run next to the scheduled one: its pods carry the secret too.
    apply(List.of("*"));
    awaitRun(1L);
    List<Pod> manual =
        client
            .pods()
            .inNamespace(NAMESPACE)
            .withLabel(Names.TYPE_LABEL, Names.TYPE_MANUAL)
            .list()
            .getItems();
    assertThat(manual).hasSize(cluster.nodeNames().size());
    assertThat(manual)
        .allSatisfy(
            pod ->
                assertThat(pod.getSpec().getImagePullSecrets())
                    .extracting(LocalObjectReference::getName)
                    .contains("testsecret"));
  }

  @Test
  void uninstallingTheChartLeavesNothingButTheCrds() throws IOException {
    install(manualOnly());
    apply(List.of(REDIS));
    awaitRun(1L);

    helm("uninstall", "eraser", "-n", NAMESPACE, "--wait", "--timeout", "3m");

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).isEmpty();
              assertThat(client.configMaps().inNamespace(NAMESPACE).list().getItems())
                  .extracting(c -> c.getMetadata().getName())
                  .containsOnly("kube-root-ca.crt");
              assertThat(client.serviceAccounts().inNamespace(NAMESPACE).list().getItems())
                  .extracting(s -> s.getMetadata().getName())
                  .containsOnly("default");
              assertThat(client.rbac().clusterRoles().withName("eraser-manager-role").get())
                  .isNull();
              assertThat(client.rbac().roles().inNamespace("default").list().getItems())
                  .extracting(r -> r.getMetadata().getName())
                  .doesNotContain("eraser-manager-events");
            });
    assertThat(cluster.crd("imagelists.eraser.sh")).isNotNull();
  }

  @Test
  void anImageListNamingOneTagRemovesTheImageWithAllItsTags() throws IOException {
    install(manualOnly());

    apply(List.of(ALIAS_TWO));
    awaitRun(1L);

    for (String node : cluster.nodeNames()) {
      assertThat(cluster.imagesOn(node)).doesNotContain(ALIAS_ONE, ALIAS_TWO).contains(REDIS);
    }
  }

  @Test
  void anExcludeFilterSparesTheLabelledNode() throws IOException {
    String labelled = cluster.nodeNames().get(0);
    client
        .nodes()
        .withName(labelled)
        .edit(
            n -> {
              n.getMetadata().getLabels().put(Names.CLEANUP_FILTER_LABEL, "true");
              return n;
            });
    install(manualOnly());

    apply(List.of(REDIS));
    ImageList done = awaitRun(1L);

    for (String node : cluster.nodeNames()) {
      if (node.equals(labelled)) {
        assertThat(cluster.imagesOn(node)).contains(REDIS);
      } else {
        assertThat(cluster.imagesOn(node)).doesNotContain(REDIS);
      }
    }
    assertThat(done.getStatus().getSuccess()).isEqualTo(cluster.nodeNames().size() - 1);
  }

  @Test
  void anEditedConfigMapIsUsedByTheNextRunWithoutARestart() throws IOException {
    install(manualOnly());
    String restarts = managerRestarts();
    String document =
        String.join(
            "\n",
            "apiVersion: eraser.sh/v1alpha2",
            "kind: EraserConfig",
            "components:",
            "  collector: {enabled: false}",
            "  scanner: {enabled: false}",
            "  remover:",
            "    image: {repo: docker.io/eraser-e2e/edited-remover, tag: \"1\"}",
            "");
    client
        .configMaps()
        .inNamespace(NAMESPACE)
        .withName("eraser-manager-config")
        .edit(
            c -> {
              c.getData().put("controller_manager_config.yaml", document);
              return c;
            });
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                managerLog()
                    .lines()
                    .anyMatch(
                        l ->
                            l.contains("configuration applied; changed:")
                                && l.contains("components.remover")));

    apply(List.of(REDIS));

    await()
        .atMost(RUN)
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .pods()
                            .inNamespace(NAMESPACE)
                            .withLabel(Names.TYPE_LABEL)
                            .list()
                            .getItems())
                    .hasSize(cluster.nodeNames().size())
                    .allSatisfy(
                        pod ->
                            assertThat(pod.getSpec().getContainers().get(0).getImage())
                                .isEqualTo("docker.io/eraser-e2e/edited-remover:1")));
    assertThat(managerRestarts()).isEqualTo(restarts);
  }

  @Test
  void workersAndTheManagerPushTheirMetricsToTheOtlpEndpoint() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start(bridgeAddress())) {
      install(
          manualOnly() + "  manager:\n" + "    otlpEndpoint: \"" + receiver.endpoint() + "\"\n");

      apply(List.of(REDIS));
      awaitRun(1L);

      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                List<OtlpReceiver.Received> removed =
                    receiver.metrics().stream()
                        .filter(m -> m.name().equals("images_removed_run_total"))
                        .toList();
                assertThat(removed)
                    .extracting(m -> m.attributes().get(WorkerMetrics.NODE_NAME))
                    .containsExactlyInAnyOrderElementsOf(cluster.nodeNames());
                assertThat(removed).allSatisfy(m -> assertThat(m.counterValue()).isEqualTo(1));
                assertThat(receiver.latest("imagejob_run_total"))
                    .hasValueSatisfying(m -> assertThat(m.counterValue()).isEqualTo(1));
              });
    }
  }

  @Test
  void aNodeThatIsNotReadyWhenARunStartsIsSkippedAndCounted() throws IOException {
    cluster.assumeLocalCluster("stops a node's kubelet");
    String down = cluster.nodeNames().get(cluster.nodeNames().size() - 1);
    cluster.stopKubelet(down);
    try {
      await().atMost(Duration.ofSeconds(120)).until(() -> !cluster.isReady(down));
      install(manualOnly());

      apply(List.of(REDIS));
      ImageList done = awaitRun(1L);

      assertThat(done.getStatus().getSkipped()).isEqualTo(1);
      assertThat(done.getStatus().getSuccess()).isEqualTo(cluster.nodeNames().size() - 1);
      for (String node : cluster.nodeNames()) {
        if (node.equals(down)) {
          assertThat(cluster.imagesOn(node)).contains(REDIS);
        } else {
          assertThat(cluster.imagesOn(node)).doesNotContain(REDIS);
        }
      }
    } finally {
      cluster.restartStoppedComponents();
      await().atMost(Duration.ofSeconds(120)).until(() -> cluster.isReady(down));
    }
  }

  @Test
  void deletingTheManagerDeploymentMidRunLeavesNoWorkerPodsOrConfigMaps() throws IOException {
    install(
        manualOnly()
            + "    remover:\n"
            + "      image: {repo: "
            + BUSY_REMOVER.substring(0, BUSY_REMOVER.lastIndexOf(':'))
            + ", tag: \"1\"}\n");
    apply(List.of(REDIS));
    await()
        .atMost(RUN)
        .until(
            () ->
                client
                        .pods()
                        .inNamespace(NAMESPACE)
                        .withLabel(Names.TYPE_LABEL)
                        .list()
                        .getItems()
                        .stream()
                        .filter(p -> "Running".equals(p.getStatus().getPhase()))
                        .count()
                    == cluster.nodeNames().size());

    client
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .withName("eraser-controller-manager")
        .delete();

    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).isEmpty();
              assertThat(client.configMaps().inNamespace(NAMESPACE).list().getItems())
                  .extracting(c -> c.getMetadata().getName())
                  .noneMatch(name -> name.startsWith("imagelist-"));
            });
  }

  @Test
  void scheduledRunsWithTheScannerRemoveTheVulnerableUnusedImagesOnly() throws IOException {
    Path images =
        LayeredImageArchive.builder()
            .image(VULNERABLE, ScanImages.debianBase("openssl 3.0.11-1~deb12u1"))
            .image(PATCHED, ScanImages.debianBase("openssl 3.0.11-1~deb12u2"))
            .write(dir.resolve("scanned.tar"));
    cluster.importEverywhere(images);
    // The demo's OSV database, zipped as dbRepo expects it, reached through a hostPath volume.
    String db = cluster.onEveryNode(OsvDatabase.ofDemoRecords(dir.resolve("osv")));
    OtlpReceiver receiver = startReceiver();
    install(
        String.join(
            "\n",
            "runtimeConfig:",
            "  manager:",
            "    otlpEndpoint: \"" + receiver.endpoint() + "\"",
            "    scheduling: {repeatInterval: 24h, beginImmediately: true}",
            "  components:",
            "    scanner:",
            "      config: |",
            "        dbRepo: " + Path.of(db).toUri(),
            "        deleteFailedImages: false",
            "      volumes:",
            "        - name: osv",
            "          hostPath: {path: " + db + ", type: Directory}",
            ""));

    cluster.awaitGoneFromEveryNode(RUN, VULNERABLE);
    for (String node : cluster.nodeNames()) {
      // Unused but without a known vulnerability: the scanner keeps them.
      assertThat(cluster.imagesOn(node)).contains(PATCHED, REDIS, RUNNING, E2ECluster.image());
    }
    awaitPerNodeCounter(receiver, "vulnerable_images_run_total", 1);
    awaitPerNodeCounter(receiver, "images_removed_run_total", 1);
  }

  /** Waits until every node has pushed {@code name} with at least {@code atLeast}. */
  private void awaitPerNodeCounter(OtlpReceiver receiver, String name, long atLeast) {
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              List<OtlpReceiver.Received> pushed =
                  receiver.metrics().stream().filter(m -> m.name().equals(name)).toList();
              assertThat(pushed)
                  .extracting(m -> m.attributes().get(WorkerMetrics.NODE_NAME))
                  .containsExactlyInAnyOrderElementsOf(cluster.nodeNames());
              assertThat(pushed)
                  .allSatisfy(m -> assertThat(m.counterValue()).isGreaterThanOrEqualTo(atLeast));
            });
  }

  /** A receiver on the cluster's bridge address, closed after the test. */
  private OtlpReceiver startReceiver() throws IOException {
    OtlpReceiver receiver = OtlpReceiver.start(bridgeAddress());
    receivers.add(receiver);
    return receiver;
  }

  private static InetAddress bridgeAddress() throws IOException {
    return InetAddress.getByName(E2ECluster.property("eraser.e2e.hostAddress", "10.200.0.1"));
  }

  @Test
  void aRuntimeSocketAtACustomPathIsHonoured() throws IOException {
    cluster.assumeLocalCluster("moves the runtime socket of every node");
    for (String node : cluster.nodeNames()) {
      cluster.exposeRuntimeSocketAt(node, CUSTOM_SOCKET);
    }
    try {
      install(
          manualOnly()
              + "  manager:\n"
              + "    runtime: {name: containerd, address: \"unix://"
              + CUSTOM_SOCKET
              + "\"}\n");

      apply(List.of(REDIS));
      awaitRun(1L);

      for (String node : cluster.nodeNames()) {
        assertThat(cluster.imagesOn(node)).doesNotContain(REDIS);
      }
      assertThat(client.pods().inNamespace(NAMESPACE).withLabel(Names.TYPE_LABEL).list().getItems())
          .allSatisfy(
              pod ->
                  assertThat(pod.getSpec().getVolumes())
                      .anySatisfy(
                          v ->
                              assertThat(v.getHostPath())
                                  .isNotNull()
                                  .extracting(h -> h.getPath())
                                  .isEqualTo(CUSTOM_SOCKET)));
    } finally {
      for (String node : cluster.nodeNames()) {
        cluster.hideRuntimeSocketAt(node, CUSTOM_SOCKET);
      }
    }
  }

  @Test
  void aManagerPodDeletedMidRunIsReplacedAndTheNewOneAdoptsTheRun() throws IOException {
    install(
        String.join(
            "\n",
            "runtimeConfig:",
            "  manager:",
            "    scheduling: {repeatInterval: 24h, beginImmediately: true}",
            "  components:",
            "    scanner: {enabled: false}",
            // A collector that never finishes keeps the run going.
            "    collector:",
            "      image: {repo: "
                + BUSY_REMOVER.substring(0, BUSY_REMOVER.lastIndexOf(':'))
                + ", tag: \"1\"}",
            ""));
    await().atMost(RUN).until(() -> workerPods().size() == cluster.nodeNames().size());
    List<String> job =
        client.resources(ImageJob.class).list().getItems().stream()
            .map(j -> j.getMetadata().getName())
            .toList();
    assertThat(job).hasSize(1);
    String before = managerPod().getMetadata().getName();

    client.pods().inNamespace(NAMESPACE).withName(before).delete();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () -> {
              Pod now = managerPod();
              return !now.getMetadata().getName().equals(before)
                  && now.getStatus().getContainerStatuses() != null
                  && !now.getStatus().getContainerStatuses().isEmpty()
                  && Boolean.TRUE.equals(now.getStatus().getContainerStatuses().get(0).getReady());
            });

    // The new manager carries on with the same run: no second job, no second set of pods.
    await()
        .during(Duration.ofSeconds(30))
        .atMost(Duration.ofSeconds(40))
        .untilAsserted(
            () -> {
              assertThat(client.resources(ImageJob.class).list().getItems())
                  .extracting(j -> j.getMetadata().getName())
                  .isEqualTo(job);
              assertThat(workerPods()).hasSize(cluster.nodeNames().size());
            });
  }

  private List<Pod> workerPods() {
    return client.pods().inNamespace(NAMESPACE).withLabel(Names.TYPE_LABEL).list().getItems();
  }

  /** Values that turn the timer off, so that only ImageLists start runs. */
  private static String manualOnly() {
    return String.join(
        "\n",
        "runtimeConfig:",
        "  components:",
        "    collector: {enabled: false}",
        "    scanner: {enabled: false}",
        "");
  }

  private Pod managerPod() {
    return client.pods().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(p -> p.getMetadata().getName().startsWith("eraser-controller-manager"))
        .findFirst()
        .orElseThrow();
  }

  private String managerRestarts() {
    return managerPod().getMetadata().getName()
        + "/"
        + managerPod().getStatus().getContainerStatuses().get(0).getRestartCount();
  }

  private String managerLog() {
    return client
        .pods()
        .inNamespace(NAMESPACE)
        .withName(managerPod().getMetadata().getName())
        .getLog();
  }

  private void install(String values) throws IOException {
    Path file = dir.resolve("values.yaml");
    Files.writeString(file, values);
    String image = E2ECluster.image();
    helm(
        "install",
        "eraser",
        "charts/eraser",
        "-n",
        NAMESPACE,
        "--create-namespace",
        "-f",
        file.toString(),
        "--set",
        "deploy.image.repo=" + image.substring(0, image.lastIndexOf(':')),
        "--set",
        "deploy.image.tag=" + image.substring(image.lastIndexOf(':') + 1),
        "--wait",
        "--timeout",
        "3m");
  }

  private void apply(List<String> images) {
    client.resource(new ImageList(Names.IMAGE_LIST, images)).create();
  }

  private ImageList awaitRun(long generation) {
    ImageList list =
        await()
            .atMost(RUN)
            .until(
                () -> client.resources(ImageList.class).withName(Names.IMAGE_LIST).get(),
                l ->
                    l.getStatus() != null
                        && l.getStatus().getObservedGeneration() != null
                        && l.getStatus().getObservedGeneration() == generation
                        && l.getStatus().getPhase() != null
                        && l.getStatus().getPhase().isFinished());
    assertThat(list.getStatus().getPhase())
        .as("run of generation %d: %s", generation, list.getStatus().getConditions())
        .isEqualTo(JobPhase.COMPLETED);
    return list;
  }

  private static Pod runningPod(String name, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(APPS)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("nginx")
        .withImage(RUNNING)
        .withImagePullPolicy("IfNotPresent")
        .endContainer()
        .endSpec()
        .build();
  }

  private boolean helmReleaseExists() {
    return helm("list", "-n", NAMESPACE, "-q").lines().anyMatch("eraser"::equals);
  }

  private static String helm(String... args) {
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("eraser.e2e.helm", "helm"));
    command.add("--kubeconfig");
    command.add(cluster.kubeconfig().toString());
    command.addAll(List.of(args));
    return E2ECluster.run(command.toArray(String[]::new));
  }
}
