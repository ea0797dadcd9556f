package sh.eraser.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.cri.api.Image;

class CriClientTest {

  @TempDir Path dir;

  @Test
  void listsImageRepliesLargerThanFourMebibytes() throws Exception {
    try (FakeCriServer fake = new FakeCriServer(dir.resolve("cri.sock"))) {
      fake.images.addAll(manyImages(20_000));
      assertThat(fake.images.stream().mapToInt(Image::getSerializedSize).sum())
          .isGreaterThan(4 * 1024 * 1024);

      try (CriClient client = CriClient.connect(fake.endpoint(), Duration.ofSeconds(30))) {
        List<Image> listed = client.listImages();

        assertThat(listed).hasSize(20_000);
        assertThat(listed.get(19_999).getRepoTags(0))
            .isEqualTo(fake.images.get(19_999).getRepoTags(0));
      }
    }
  }

  @Test
  void removalOfAnImageTheRuntimeNoLongerHasCountsAsDone() throws Exception {
    try (FakeCriServer fake = new FakeCriServer(dir.resolve("cri.sock"));
        CriClient client = CriClient.connect(fake.endpoint(), Duration.ofSeconds(5))) {
      assertThat(client.removeImage("sha256:" + "0".repeat(64))).isFalse();
    }
  }

  @Test
  void failedRemovalNamesTheImageAndTheRuntimeError() throws Exception {
    String id = "sha256:" + "1".repeat(64);
    try (FakeCriServer fake = new FakeCriServer(dir.resolve("cri.sock"));
        CriClient client = CriClient.connect(fake.endpoint(), Duration.ofSeconds(5))) {
      fake.removeFailures.put(id, Status.INTERNAL.withDescription("disk on fire"));

      assertThatThrownBy(() -> client.removeImage(id))
          .isInstanceOf(CriException.class)
          .hasMessageContaining(id)
          .hasMessageContaining("disk on fire");
    }
  }

  @Test
  void missingSocketFailsWithItsPath() {
    Path missing = dir.resolve("missing.sock");

    assertThatThrownBy(() -> CriClient.connect(new CriEndpoint(missing), Duration.ofSeconds(5)))
        .isInstanceOf(CriUnavailableException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void regularFileIsNotTakenForASocket() throws Exception {
    Path file = Files.writeString(dir.resolve("cri.sock"), "not a socket");

    assertThatThrownBy(() -> CriClient.connect(new CriEndpoint(file), Duration.ofSeconds(5)))
        .isInstanceOf(CriUnavailableException.class)
        .hasMessageContaining("is not a Unix socket");
  }

  private static List<Image> manyImages(int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                Image.newBuilder()
                    .setId("sha256:" + String.format("%064x", i))
                    .addRepoTags(
                        "registry.example.com/some/long/repository/path/number-" + i + ":v" + i)
                    .addRepoDigests(
                        "registry.example.com/some/long/repository/path/number-"
                            + i
                            + "@sha256:"
                            + String.format("%064x", i + 1))
                    .setSize(1000L * i)
                    .build())
        .toList();
  }
}
