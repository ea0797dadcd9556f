package sh.eraser.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.cri.api.Container;
import sh.eraser.cri.api.ContainerState;
import sh.eraser.cri.api.Image;
import sh.eraser.cri.api.VersionRequest;

/** Shows that {@link LocalContainerd} and {@link OciArchive} give tests a real CRI to work on. */
class LocalContainerdIT {

  private static final List<String> APP_TAGS =
      List.of("docker.io/team/app:1", "docker.io/team/app:2", "docker.io/team/app:3");
  private static final List<String> SHARED_TAGS =
      List.of("docker.io/team/shared:1", "registry.eraser.test/mirror/shared:1");

  @RegisterExtension
  static final LocalContainerdExtension containerd =
      new LocalContainerdExtension().resetBeforeEach();

  @TempDir Path temp;

  @Test
  void listsEveryTagOfAnImageUnderOneId() {
    Map<String, String> ids = importTestImages();

    assertThat(node().imageTags())
        .containsExactlyInAnyOrder(
            LocalContainerd.SANDBOX_IMAGE,
            APP_TAGS.get(0),
            APP_TAGS.get(1),
            APP_TAGS.get(2),
            SHARED_TAGS.get(0),
            SHARED_TAGS.get(1));
    assertThat(node().listImages()).hasSize(3).extracting(Image::getId).doesNotHaveDuplicates();
    assertThat(image(ids.get("app")).getRepoTagsList())
        .containsExactlyInAnyOrderElementsOf(APP_TAGS);
    assertThat(image(ids.get("shared")).getRepoTagsList())
        .containsExactlyInAnyOrderElementsOf(SHARED_TAGS);
    assertThat(ids.get("app")).isEqualTo(OciArchive.imageId("app"));
  }

  @Test
  void runsContainersInAHostNetworkPodAndReportsTheImageIdAsImageRef() {
    Map<String, String> ids = importTestImages();
    String pod = node().runPod("web");

    Container server =
        node().container(node().createContainer(pod, "server", APP_TAGS.get(0), true));
    Container job = node().container(node().runAndExit(pod, "job", ids.get("shared")));

    assertThat(node().listContainers()).hasSize(2);
    assertThat(server.getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
    assertThat(job.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
    // containerd 1.6: image.image is what the container was created from, image_ref is always the
    // image ID, and image_id (a later CRI field) stays empty.
    assertThat(server.getImage().getImage()).isEqualTo(APP_TAGS.get(0));
    assertThat(server.getImageRef()).isEqualTo(ids.get("app"));
    assertThat(server.getImageId()).isEmpty();
    assertThat(job.getImage().getImage()).isEqualTo(ids.get("shared"));
    assertThat(job.getImageRef()).isEqualTo(ids.get("shared"));
    assertThat(job.getImageId()).isEmpty();
  }

  @Test
  void reportsTheSandboxImageInItsVerboseStatus() {
    assertThat(node().criConfig().path("sandboxImage").asText())
        .isEqualTo(LocalContainerd.SANDBOX_IMAGE);
  }

  @Test
  void listsAnImageWhoseTagIsGoneByIdOnly() {
    String id = node().importUntagged("orphan");

    assertThat(id).isEqualTo(OciArchive.imageId("orphan"));
    assertThat(image(id).getRepoTagsList()).isEmpty();
    assertThat(image(id).getRepoDigestsList()).isEmpty();
    assertThat(node().imageTags()).containsExactly(LocalContainerd.SANDBOX_IMAGE);
  }

  @Test
  void listsANameByDigestAmongTheRepoDigests() {
    Path tar = temp.resolve("digest.tar");
    OciArchive.builder()
        .image("by-digest")
        .digestReference("by-digest", "docker.io/team/digested")
        .write(tar);

    node().importArchive(tar);

    Image image = image(OciArchive.imageId("by-digest"));
    assertThat(image.getRepoTagsList()).isEmpty();
    assertThat(image.getRepoDigestsList())
        .containsExactly("docker.io/team/digested@" + OciArchive.manifestDigest("by-digest"));
  }

  @Test
  void containerd16ReportsNoImageAsPinnedEvenWithThePinnedLabel() {
    String version =
        node().runtime().version(VersionRequest.getDefaultInstance()).getRuntimeVersion();
    assumeThat(version).as("pinned images came with containerd 1.7").startsWith("1.6.");
    Map<String, String> ids = importTestImages();

    node().ctr("images", "label", APP_TAGS.get(0), "io.cri-containerd.pinned=pinned");
    node().ctr("images", "label", ids.get("app"), "io.cri-containerd.pinned=pinned");

    assertThat(node().ctr("images", "ls")).contains("io.cri-containerd.pinned=pinned");
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> node().listImages().stream().noneMatch(Image::getPinned));
  }

  @Test
  void closeLeavesNoProcessMountCgroupOrDirectory() throws Exception {
    LocalContainerd own = LocalContainerd.start();
    Path dir = own.directory();
    String pod = own.runPod("doomed");
    own.createContainer(pod, "sleeper", LocalContainerd.SANDBOX_IMAGE, true);

    own.close();

    assertNothingLeft(own);
  }

  @Test
  void closeRemovesWhatAKilledContainerdLeftBehind() throws Exception {
    LocalContainerd own = LocalContainerd.start();
    String pod = own.runPod("orphaned");
    own.createContainer(pod, "sleeper", LocalContainerd.SANDBOX_IMAGE, true);
    ProcessHandle.of(own.pid()).orElseThrow().destroyForcibly();

    own.close();

    assertNothingLeft(own);
  }

  private static void assertNothingLeft(LocalContainerd closed) throws Exception {
    String dir = closed.directory().toString();
    assertThat(closed.leftovers()).isEmpty();
    // pgrep exits 1 when no process matches.
    assertThat(new ProcessBuilder("pgrep", "-f", dir).start().waitFor()).isEqualTo(1);
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(dir);
    assertThat(closed.directory()).doesNotExist();
  }

  private Map<String, String> importTestImages() {
    Path tar = temp.resolve("images.tar");
    Map<String, String> ids =
        OciArchive.builder()
            .image(LocalContainerd.SANDBOX_VARIANT, LocalContainerd.SANDBOX_IMAGE)
            .image("app", APP_TAGS.toArray(String[]::new))
            .image("shared", SHARED_TAGS.toArray(String[]::new))
            .write(tar);
    node().importArchive(tar);
    return ids;
  }

  private static LocalContainerd node() {
    return containerd.get();
  }

  private static Image image(String id) {
    return node().listImages().stream()
        .filter(i -> i.getId().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no image " + id + " in " + node().listImages()));
  }
}
