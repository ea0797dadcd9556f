package sh.eraser.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.eraser.worker.WorkerITSupport.excluded;
import static sh.eraser.worker.WorkerITSupport.exclusionConfigMap;
import static sh.eraser.worker.WorkerITSupport.imageIds;
import static sh.eraser.worker.WorkerITSupport.importImages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.testing.LocalContainerd;
import sh.eraser.testing.LocalContainerdExtension;
import sh.eraser.testing.OciArchive;
import sh.eraser.worker.WorkerProcess.Result;

/**
 * Collector and remover as two processes of one worker pod, talking through the named pipes of a
 * shared directory, on a real containerd.
 */
class PipelineIT {

  @RegisterExtension
  static final LocalContainerdExtension containerd =
      new LocalContainerdExtension().resetBeforeEach();

  @TempDir Path dir;

  private LocalContainerd node() {
    return containerd.get();
  }

  @Test
  void collectorHandsUnusedImagesToTheRemoverWhichRemovesThem() throws Exception {
    Map<String, String> ids =
        importImages(
            node(),
            OciArchive.builder()
                .image("web", "docker.io/team/web:1")
                .image("job", "docker.io/team/job:1")
                .image("old", "docker.io/team/old:1", "docker.io/team/old:2")
                .image("alpine", "docker.io/library/alpine:3.7.3"));
    String pod = node().runPod("web");
    node().createContainer(pod, "web", "docker.io/team/web:1", true);
    node().runAndExit(pod, "job", ids.get("job"));
    Path exclusions = dir.resolve("exclusions");
    exclusionConfigMap(
        exclusions, "libraries", Map.of("libraries.json", excluded("docker.io/library/*")));
    Path shared = Files.createDirectories(dir.resolve("shared"));
    String endpoint = "--runtime-endpoint=" + node().endpoint();
    String exclusionDir = "--exclusion-dir=" + exclusions;
    String sharedDir = "--shared-dir=" + shared;

    WorkerProcess collector =
        WorkerProcess.of(dir, "collector", endpoint, exclusionDir, sharedDir, "--scan-disabled")
            .start();
    WorkerProcess remover =
        WorkerProcess.of(dir, "remover", endpoint, exclusionDir, sharedDir).start();
    Result removed = remover.await(Duration.ofMinutes(1));
    Result collected = collector.await(Duration.ofMinutes(1));

    assertThat(collected.exitCode()).as("%s", collected).isZero();
    assertThat(removed.exitCode()).as("%s", removed).isZero();
    assertThat(imageIds(node()))
        .contains(ids.get("web"), ids.get("job"), ids.get("alpine"))
        .doesNotContain(ids.get("old"));
    assertThat(collected.summary().get("collected").asInt()).isEqualTo(1);
    assertThat(collected.decisionFor(ids.get("alpine"))).isEqualTo("excluded");
    assertThat(collected.decisionFor(ids.get("job"))).isEqualTo("in use");
    assertThat(removed.summary().get("removed").asInt()).isEqualTo(1);
    assertThat(removed.summary().get("removedImages").get(0).asText())
        .startsWith("docker.io/team/old:");
  }
}
