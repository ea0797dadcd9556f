package sh.eraser.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import sh.eraser.Main;
import sh.eraser.cri.FakeCriServerAccess;
import sh.eraser.cri.api.Image;

/**
 * Pinned images, which the containerd release we test against never reports, through a FAKE
 * runtime: "*" must leave them.
 */
class PinnedImageTest {

  @TempDir Path dir;

  @Test
  void pruneLeavesPinnedImages() throws Exception {
    String pinned = "sha256:" + "1".repeat(64);
    String loose = "sha256:" + "2".repeat(64);
    try (var fake = FakeCriServerAccess.start(dir.resolve("cri.sock"))) {
      fake.add(
          Image.newBuilder()
              .setId(pinned)
              .addRepoTags("docker.io/team/base:1")
              .setPinned(true)
              .build());
      fake.add(Image.newBuilder().setId(loose).addRepoTags("docker.io/team/old:1").build());
      Path list = Files.writeString(dir.resolve("list"), "[\"*\"]");

      int exit =
          new CommandLine(new Main())
              .execute(
                  "remover",
                  "--runtime-endpoint=unix://" + dir.resolve("cri.sock"),
                  "--imagelist=" + list,
                  "--exclusion-dir=" + dir.resolve("none"),
                  "--termination-log=" + dir.resolve("summary"));

      assertThat(exit).isZero();
      assertThat(fake.removed()).containsExactly(loose);
      assertThat(Files.readString(dir.resolve("summary"))).contains("\"inUse\":1");
    }
  }
}
