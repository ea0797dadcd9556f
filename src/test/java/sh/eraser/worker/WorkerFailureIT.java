package sh.eraser.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.eraser.worker.WorkerITSupport.exclusionConfigMap;
import static sh.eraser.worker.WorkerITSupport.imageIds;
import static sh.eraser.worker.WorkerITSupport.imageList;
import static sh.eraser.worker.WorkerITSupport.importImages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.testing.LocalContainerd;
import sh.eraser.testing.LocalContainerdExtension;
import sh.eraser.testing.OciArchive;
import sh.eraser.worker.WorkerProcess.Result;

/** When the runtime or an exclusion list cannot be read, workers fail fast and remove nothing. */
class WorkerFailureIT {

  @RegisterExtension
  static final LocalContainerdExtension containerd =
      new LocalContainerdExtension().resetBeforeEach();

  private static final Duration FAIL_WITHIN = Duration.ofSeconds(10);

  @TempDir Path dir;
  private Set<String> before;

  private LocalContainerd node() {
    return containerd.get();
  }

  @BeforeEach
  void unusedImages() {
    importImages(
        node(),
        OciArchive.builder()
            .image("app", "docker.io/team/app:1")
            .image("old", "docker.io/team/old:1"));
    before = imageIds(node());
  }

  @Test
  void missingSocketFailsFastNamingThePath() {
    Path missing = dir.resolve("nothing-here.sock");

    String endpoint = "--runtime-endpoint=unix://" + missing;
    Result remover =
        WorkerProcess.of(dir, "remover", endpoint, "--imagelist=" + imageList(dir, "[\"*\"]"))
            .run();
    Result collector = WorkerProcess.of(dir, "collector", endpoint, "--shared-dir=" + dir).run();

    for (Result result : new Result[] {remover, collector}) {
      assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
      assertThat(result.took()).isLessThan(FAIL_WITHIN);
      assertThat(result.summary().get("error").asText())
          .contains(missing.toString())
          .contains("does not exist");
    }
    assertThat(imageIds(node())).isEqualTo(before);
  }

  @Test
  void socketWithoutPermissionFailsFastNamingThePath() throws Exception {
    Path socket = node().socket();
    var mode = Files.getPosixFilePermissions(socket);
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("---------"));
    try {
      // Workers run with every capability dropped, so root's DAC override does not apply.
      Result result =
          WorkerProcess.of(
                  dir,
                  "remover",
                  "--runtime-endpoint=" + node().endpoint(),
                  "--imagelist=" + imageList(dir, "[\"*\"]"))
              .under("setpriv", "--bounding-set=-all", "--inh-caps=-all", "--")
              .run();

      assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
      assertThat(result.took()).isLessThan(FAIL_WITHIN);
      assertThat(result.summary().get("error").asText())
          .contains(socket.toString())
          .containsIgnoringCase("permission denied");
    } finally {
      Files.setPosixFilePermissions(socket, mode);
    }
    assertThat(imageIds(node())).isEqualTo(before);
  }

  @Test
  void malformedExclusionListStopsTheRemoverNamingTheKey() {
    Path root = dir.resolve("exclusions");
    exclusionConfigMap(root, "good", Map.of("a.json", "{\"excluded\": [\"docker.io/library/*\"]}"));
    exclusionConfigMap(
        root, "broken", Map.of("list.json", "{\"excluded\": [\"docker.io/team/app:1\""));

    Result result =
        WorkerProcess.of(
                dir,
                "remover",
                "--runtime-endpoint=" + node().endpoint(),
                "--imagelist=" + imageList(dir, "[\"*\"]"),
                "--exclusion-dir=" + root)
            .run();

    assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
    assertThat(result.summary().get("error").asText()).contains("broken").contains("list.json");
    assertThat(imageIds(node())).isEqualTo(before);
  }

  @Test
  void aBrokenExclusionListIsReportedEvenWhereTheRuntimeIsMissing() {
    Path root = dir.resolve("exclusions");
    exclusionConfigMap(root, "broken", Map.of("list.json", "{\"excluded\": 42}"));

    Result result =
        WorkerProcess.of(
                dir,
                "remover",
                "--runtime-endpoint=unix://" + dir.resolve("nothing-here.sock"),
                "--imagelist=" + imageList(dir, "[\"*\"]"),
                "--exclusion-dir=" + root)
            .run();

    assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
    assertThat(result.summary().get("error").asText())
        .contains("broken")
        .contains("list.json")
        .doesNotContain("nothing-here.sock");
  }

  @Test
  void unreadableExclusionListStopsTheCollector() throws Exception {
    Path root = dir.resolve("exclusions");
    exclusionConfigMap(root, "locked", Map.of("list.json", "{\"excluded\": []}"));
    Path key = root.resolve("exclude-locked").resolve("list.json").toRealPath();
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("---------"));

    Result result =
        WorkerProcess.of(
                dir,
                "collector",
                "--runtime-endpoint=" + node().endpoint(),
                "--exclusion-dir=" + root,
                "--shared-dir=" + dir)
            .under("setpriv", "--bounding-set=-all", "--inh-caps=-all", "--")
            .run();

    assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
    assertThat(result.summary().get("error").asText()).contains("locked").contains("list.json");
    assertThat(Files.exists(dir.resolve(Pipes.SCAN_ERASE))).isFalse();
    assertThat(Files.exists(dir.resolve(Pipes.COLLECT_SCAN))).isFalse();
  }
}
