package sh.eraser.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.api.JobPhase;
import sh.eraser.api.Names;
import sh.eraser.api.v1.ImageList;
import sh.eraser.testing.OciArchive;

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
  private static final Duration RUN = Duration.ofMinutes(4);

  private static E2ECluster cluster;
  private static Path testImages;
  private KubernetesClient client;

  @TempDir Path dir;

  @BeforeAll
  static void cluster(@TempDir Path shared) {
    cluster = E2ECluster.fromSystemProperties();
    KubernetesClient client = cluster.client();
    // CRDs applied by other suites are not the chart's; the chart installs its own.
    for (String crd : List.of("imagelists.eraser.sh", "imagejobs.eraser.sh")) {
      var existing = client.apiextensions().v1().customResourceDefinitions().withName(crd).get();
      if (existing != null && !isHelmOwned(existing.getMetadata().getAnnotations())) {
        client.apiextensions().v1().customResourceDefinitions().withName(crd).delete();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    client.apiextensions().v1().customResourceDefinitions().withName(crd).get()
                        == null);
      }
    }
    testImages = shared.resolve("apps.tar");
    OciArchive.builder()
        .image("nginx", RUNNING)
        .image("redis", REDIS)
        .image("caddy", CADDY)
        .write(testImages);
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
  }

  @Test
  void anImageListRemovesItsImagesOnEveryNodeAndAWildcardEverythingUnused() throws IOException {
    install(manualOnly());

    apply(List.of(REDIS));
    awaitRun(1L);
    for (String node : cluster.nodeNames()) {
      assertThat(cluster.imagesOn(node)).doesNotContain(REDIS).contains(CADDY, RUNNING);
    }

    ImageList list = client.resources(ImageList.class).withName(Names.IMAGE_LIST).get();
    list.getSpec().setImages(List.of("*"));
    client.resource(list).update();
    awaitRun(2L);
    for (String node : cluster.nodeNames()) {
      assertThat(cluster.imagesOn(node))
          .doesNotContain(REDIS, CADDY)
          // In use: the running pod, the sandbox image, the workers' own image.
          .contains(RUNNING, "registry.k8s.io/pause:3.10", image());
    }
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
    // The images are on the nodes already, so the secret is only named, never used to pull.
    install(
        String.join(
            "\n",
            "runtimeConfig:",
            "  manager:",
            "    pullSecrets: [testsecret]",
            "    scheduling: {repeatInterval: 24h, beginImmediately: true}",
            "  components:",
            "    scanner: {enabled: false}",
            ""));

    List<Pod> seen = new ArrayList<>();
    await()
        .atMost(RUN)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              client
                  .pods()
                  .inNamespace(NAMESPACE)
                  .withLabel(Names.TYPE_LABEL)
                  .list()
                  .getItems()
                  .forEach(seen::add);
              for (String node : cluster.nodeNames()) {
                assertThat(cluster.imagesOn(node)).doesNotContain(REDIS, CADDY);
              }
            });
    for (String node : cluster.nodeNames()) {
      assertThat(cluster.imagesOn(node)).contains(RUNNING, image());
    }
    assertThat(seen).isNotEmpty();
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
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("imagelists.eraser.sh")
                .get())
        .isNotNull();
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

  private void install(String values) throws IOException {
    Path file = dir.resolve("values.yaml");
    Files.writeString(file, values);
    String image = image();
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

  private static String image() {
    String image = System.getProperty("eraser.e2e.image", "");
    assertThat(image).as("system property eraser.e2e.image").isNotBlank();
    return image;
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

  private static boolean isHelmOwned(Map<String, String> annotations) {
    return annotations != null && annotations.containsKey("meta.helm.sh/release-name");
  }
}
