package sh.eraser.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.eraser.worker.WorkerITSupport.imageIds;
import static sh.eraser.worker.WorkerITSupport.imageList;
import static sh.eraser.worker.WorkerITSupport.importImages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.testing.LocalContainerd;
import sh.eraser.testing.LocalContainerdExtension;
import sh.eraser.testing.OciArchive;
import sh.eraser.testing.OtlpReceiver;
import sh.eraser.testing.OtlpReceiver.Received;
import sh.eraser.worker.WorkerProcess.Result;

/**
 * What the remover pushes over OTLP/HTTP, run from the packaged jar against a real containerd with
 * the environment the manager gives its container, to a receiver on 127.0.0.1.
 */
class RemoverMetricsIT {

  @RegisterExtension
  static final LocalContainerdExtension containerd =
      new LocalContainerdExtension().resetBeforeEach();

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final OtlpReceiver receiver = OtlpReceiver.start();

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  private LocalContainerd node() {
    return containerd.get();
  }

  /** The remover of a manual run on {@code nodeName}, with the pod's environment. */
  private Result removeOn(String nodeName, String endpoint, String imageListJson) {
    Result result =
        WorkerProcess.of(
                dir,
                "remover",
                "--runtime-endpoint=" + node().endpoint(),
                "--imagelist=" + imageList(dir, imageListJson),
                "--exclusion-dir=" + dir.resolve("exclusions"))
            .env("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
            .env("OTEL_SERVICE_NAME", "remover")
            .env("NODE_NAME", nodeName)
            .run();
    assertThat(result.exitCode()).as("%s", result).isZero();
    return result;
  }

  @Test
  void removersOnTwoNodesPushTheImagesEachRemovedUnderItsNodeName() {
    Map<String, String> a =
        importImages(
            node(),
            OciArchive.builder()
                .image("a1", "docker.io/team/a1:1")
                .image("a2", "docker.io/team/a2:1", "docker.io/team/a2:2"));
    Result onA =
        removeOn(
            "node-a", receiver.endpoint(), "[\"docker.io/team/a1:1\", \"docker.io/team/a2:1\"]");
    Map<String, String> b =
        importImages(
            node(),
            OciArchive.builder()
                .image("b1", "docker.io/team/b1:1")
                .image("b2", "docker.io/team/b2:1")
                .image("b3", "docker.io/team/b3:1"));
    Result onB = removeOn("node-b", receiver.endpoint(), "[\"docker.io/team/*\"]");

    assertThat(imageIds(node()))
        .doesNotContainAnyElementsOf(a.values())
        .doesNotContainAnyElementsOf(b.values());
    assertThat(onA.summary().get("removed").asInt()).isEqualTo(2);
    assertThat(onB.summary().get("removed").asInt()).isEqualTo(3);
    List<Received> pushed = receiver.metrics();
    assertThat(pushed)
        .extracting(Received::name, Received::attributes, Received::counterValue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "images_removed_run_total", Map.of("node name", "node-a"), 2L),
            org.assertj.core.groups.Tuple.tuple(
                "images_removed_run_total", Map.of("node name", "node-b"), 3L));
    assertThat(pushed)
        .allSatisfy(
            m -> {
              assertThat(m.serviceName()).isEqualTo("remover");
              assertThat(m.scope()).isEqualTo("eraser");
              assertThat(m.metric().getUnit()).isEqualTo("1");
            });
  }

  @Test
  void inPipeModeTheRemoverPushesWhatTheCollectorHandedItAndItRemoved() throws IOException {
    importImages(
        node(),
        OciArchive.builder()
            .image("old", "docker.io/team/old:1")
            .image("older", "docker.io/team/older:1"));
    Path shared = Files.createDirectories(dir.resolve("shared"));
    String endpoint = "--runtime-endpoint=" + node().endpoint();
    String exclusionDir = "--exclusion-dir=" + dir.resolve("exclusions");
    String sharedDir = "--shared-dir=" + shared;

    WorkerProcess collector =
        WorkerProcess.of(dir, "collector", endpoint, exclusionDir, sharedDir, "--scan-disabled")
            .env("NODE_NAME", "node-c")
            .start();
    Result removed =
        WorkerProcess.of(dir, "remover", endpoint, exclusionDir, sharedDir)
            .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
            .env("OTEL_SERVICE_NAME", "remover")
            .env("NODE_NAME", "node-c")
            .start()
            .await(Duration.ofMinutes(1));
    Result collected = collector.await(Duration.ofMinutes(1));

    assertThat(collected.exitCode()).as("%s", collected).isZero();
    assertThat(removed.exitCode()).as("%s", removed).isZero();
    // The remover alone pushes; the collector, as in the original, pushes nothing.
    assertThat(receiver.metrics())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.name()).isEqualTo("images_removed_run_total");
              assertThat(m.attributes()).containsEntry("node name", "node-c");
              assertThat(m.counterValue())
                  .isEqualTo(removed.summary().get("removed").asLong())
                  .isEqualTo(2);
            });
  }

  @Test
  void withoutAnEndpointNothingIsExportedAndNothingWarned() {
    Map<String, String> ids =
        importImages(node(), OciArchive.builder().image("app", "docker.io/team/app:1"));

    Result result = removeOn("node-a", "", "[\"docker.io/team/app:1\"]");

    assertThat(imageIds(node())).doesNotContain(ids.get("app"));
    assertThat(receiver.posts()).isZero();
    assertThat(levels(result)).doesNotContain("WARN", "ERROR");
    assertThat(result.stderr()).isEmpty();
  }

  @Test
  void anUnreachableReceiverChangesNeitherWhatIsRemovedNorTheExitCode() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> ids =
        importImages(node(), OciArchive.builder().image("app", "docker.io/team/app:1"));

    Result result = removeOn("node-a", "127.0.0.1:" + closedPort, "[\"docker.io/team/app:1\"]");

    assertThat(imageIds(node())).doesNotContain(ids.get("app"));
    assertThat(result.summary().get("removed").asInt()).isEqualTo(1);
    assertThat(warnings(result))
        .singleElement()
        .asString()
        .contains("images_removed_run_total not exported");
  }

  private static List<String> levels(Result result) {
    return lines(result).stream().map(l -> l.path("level").asText()).toList();
  }

  private static List<String> warnings(Result result) {
    return lines(result).stream()
        .filter(l -> l.path("level").asText().equals("WARN"))
        .map(l -> l.path("formattedMessage").asText())
        .toList();
  }

  private static List<JsonNode> lines(Result result) {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : result.stdout().split("\n")) {
      if (!line.isBlank()) {
        try {
          lines.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new UncheckedIOException("log line is not JSON: " + line, e);
        }
      }
    }
    return lines;
  }
}
