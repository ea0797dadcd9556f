package sh.eraser.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test images keep their IDs from one JVM to the next. The end-to-end suites import the same
 * names into long-lived clusters, where a running container keeps the ID it started with; were the
 * ID of a name to change between runs, the name would then rightly be removable while its old image
 * runs, and tests would fail for a reason that is not Eraser's.
 */
class OciArchiveTest {

  /** Recorded once; any JVM, whatever order its Map.of iterates in, must give the same. */
  private static final String NGINX_ID =
      "sha256:49c1a5f8651f21d461903c8cafdee41ee069e2b14251d62997299ff50bc58579";

  private static final String API_ID =
      "sha256:7cce0e260c6d6d833df19358e4c709dfc5b4b54c971924ece943282d414b3706";

  @TempDir Path dir;

  @Test
  void aVariantHasTheSameImageIdInEveryJvm() {
    var ids =
        OciArchive.builder()
            .image("nginx", "docker.io/eraser-e2e/nginx:1")
            .write(dir.resolve("a.tar"));

    assertThat(ids).containsEntry("nginx", NGINX_ID);
  }

  @Test
  void layeredImagesHaveTheSameIdInEveryJvm() {
    LayeredImageArchive archive =
        LayeredImageArchive.builder()
            .image(
                "docker.io/eraser-e2e/api:1",
                LayeredImageArchive.Layer.gzip().file("etc/debian_version", "12.4\n"));
    archive.write(dir.resolve("b.tar"));

    assertThat(archive.id("docker.io/eraser-e2e/api:1")).isEqualTo(API_ID);
  }
}
