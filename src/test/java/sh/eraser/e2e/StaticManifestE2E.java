package sh.eraser.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.api.Names;
import sh.eraser.api.v1.ImageJob;
import sh.eraser.scanner.ScanImages;
import sh.eraser.testing.LayeredImageArchive;

/**
 * Eraser installed without Helm, from the plain manifest {@code operator/eraser.yaml} with {@code
 * kubectl apply}, as docs/install.md describes: its default scheduled run, with the scanner, does
 * the whole pipeline on every node; uninstalling with {@code kubectl delete -f} removes it all.
 */
class StaticManifestE2E {

  private static final String NAMESPACE = "eraser-system";
  private static final String VULNERABLE = "docker.io/eraser-e2e/static-api:1";
  private static final String PATCHED = "docker.io/eraser-e2e/static-api:2";
  private static final String CONFIG_MAP = "eraser-manager-config";
  private static final String CONFIG_KEY = "controller_manager_config.yaml";
  private static final Duration RUN = Duration.ofMinutes(4);

  private static E2ECluster cluster;
  private KubernetesClient client;

  @TempDir Path dir;
  private Path manifest;

  @BeforeAll
  static void cluster() {
    cluster = E2ECluster.fromSystemProperties();
    // As on a cluster that never had Eraser: CRDs left by other suites or a kept Helm release
    // belong to someone else.
    cluster.deleteCrds();
  }

  @AfterEach
  void uninstall() {
    if (manifest != null) {
      cluster.kubectl("delete", "-f", manifest.toString(), "--ignore-not-found", "--wait");
    }
  }

  @Test
  void theDefaultScheduledRunScansEveryNodeRemovesTheVulnerableImageAndCleansUpItsPods()
      throws IOException {
    client = cluster.client();
    cluster.importEverywhere(
        LayeredImageArchive.builder()
            .image(VULNERABLE, ScanImages.debianBase("openssl 3.0.11-1~deb12u1"))
            .image(PATCHED, ScanImages.debianBase("openssl 3.0.11-1~deb12u2"))
            .write(dir.resolve("scanned.tar")));
    String db = cluster.onEveryNode(OsvDatabase.ofDemoRecords(dir.resolve("osv")));
    manifest = withOfflineScanner(Path.of("operator/eraser.yaml"), db, dir.resolve("eraser.yaml"));

    Set<String> before = eventNames();
    cluster.kubectl("apply", "--server-side", "-f", manifest.toString());
    cluster.kubectl(
        "-n",
        NAMESPACE,
        "rollout",
        "status",
        "deployment/eraser-controller-manager",
        "--timeout=3m");

    cluster.awaitGoneFromEveryNode(RUN, VULNERABLE);
    for (String node : cluster.nodeNames()) {
      // Unused, but no advisory affects it: the scanner keeps it.
      assertThat(cluster.imagesOn(node)).contains(PATCHED, E2ECluster.image());
    }
    // The run is reported as completed on every node; then the job and its collector pods go.
    int nodes = cluster.nodeNames().size();
    String completed =
        "run completed: " + nodes + " succeeded, 0 failed, 0 skipped of " + nodes + " nodes; ";
    await()
        .atMost(RUN)
        .untilAsserted(
            () ->
                assertThat(newEvents(before))
                    .filteredOn(e -> "ImageJob".equals(e.getInvolvedObject().getKind()))
                    .filteredOn(e -> "RunCompleted".equals(e.getReason()))
                    .extracting(Event::getMessage)
                    .singleElement()
                    .asString()
                    .startsWith(completed));
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              assertThat(client.resources(ImageJob.class).list().getItems()).isEmpty();
              assertThat(
                      client
                          .pods()
                          .inNamespace(NAMESPACE)
                          .withLabel(Names.TYPE_LABEL, Names.TYPE_COLLECTOR)
                          .list()
                          .getItems())
                  .isEmpty();
            });

    cluster.kubectl("delete", "-f", manifest.toString(), "--wait");
    manifest = null;
    assertThat(client.namespaces().withName(NAMESPACE).get()).isNull();
    for (String crd : E2ECluster.CRDS) {
      assertThat(cluster.crd(crd)).isNull();
    }
    assertThat(client.rbac().clusterRoles().withName("eraser-manager-role").get()).isNull();
    assertThat(client.rbac().roles().inNamespace("default").list().getItems())
        .extracting(r -> r.getMetadata().getName())
        .doesNotContain("eraser-manager-events");
  }

  /** The Events about cluster-scoped objects, which the manager writes to {@code default}. */
  private List<Event> events() {
    return client.v1().events().inNamespace("default").list().getItems();
  }

  private Set<String> eventNames() {
    return events().stream().map(e -> e.getMetadata().getName()).collect(Collectors.toSet());
  }

  private List<Event> newEvents(Set<String> before) {
    return events().stream().filter(e -> !before.contains(e.getMetadata().getName())).toList();
  }

  /**
   * The manifest as an admin without internet access would adapt it before applying: the scanner
   * reads its OSV database from a directory on the node, and every image is the one under test.
   */
  private static Path withOfflineScanner(Path source, String db, Path target) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    String image = E2ECluster.image();
    String repo = image.substring(0, image.lastIndexOf(':'));
    String tag = image.substring(image.lastIndexOf(':') + 1);
    List<String> documents = new ArrayList<>();
    try (InputStream in = Files.newInputStream(source)) {
      for (HasMetadata item : cluster.client().load(in).items()) {
        if (item instanceof ConfigMap map && CONFIG_MAP.equals(map.getMetadata().getName())) {
          ObjectNode config = (ObjectNode) yaml.readTree(map.getData().get(CONFIG_KEY));
          ObjectNode components = (ObjectNode) config.get("components");
          for (String component : List.of("collector", "remover", "scanner")) {
            ObjectNode imageNode = (ObjectNode) components.get(component).get("image");
            imageNode.put("repo", repo).put("tag", tag);
          }
          ObjectNode scanner = (ObjectNode) components.get("scanner");
          assertThat(scanner.get("enabled").asBoolean()).as("scanner enabled by default").isTrue();
          scanner.put("config", "dbRepo: " + Path.of(db).toUri() + "\ndeleteFailedImages: false\n");
          ObjectNode volume = scanner.putArray("volumes").addObject();
          volume.put("name", "osv");
          volume.putObject("hostPath").put("path", db).put("type", "Directory");
          map.getData().put(CONFIG_KEY, yaml.writeValueAsString(config));
        }
        if (item instanceof Deployment deployment) {
          deployment.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
        }
        documents.add(Serialization.asYaml(item));
      }
    }
    Files.writeString(target, String.join("\n", documents));
    return target;
  }
}
