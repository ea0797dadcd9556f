package sh.eraser.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.eraser.worker.WorkerITSupport.excluded;
import static sh.eraser.worker.WorkerITSupport.exclusionConfigMap;
import static sh.eraser.worker.WorkerITSupport.imageIds;
import static sh.eraser.worker.WorkerITSupport.imageList;
import static sh.eraser.worker.WorkerITSupport.importImages;
import static sh.eraser.worker.WorkerITSupport.tags;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.testing.LocalContainerd;
import sh.eraser.testing.LocalContainerdExtension;
import sh.eraser.testing.OciArchive;
import sh.eraser.worker.WorkerProcess.Result;

/** The remover against a real containerd, run from the packaged jar as its container would. */
class RemoverIT {

  @RegisterExtension
  static final LocalContainerdExtension containerd =
      new LocalContainerdExtension().resetBeforeEach();

  @TempDir Path dir;

  private LocalContainerd node() {
    return containerd.get();
  }

  private Result remove(String imageListJson, String... more) {
    List<String> args = new ArrayList<>();
    args.add("remover");
    args.add("--runtime-endpoint=" + node().endpoint());
    args.add("--imagelist=" + imageList(dir, imageListJson));
    args.add("--exclusion-dir=" + dir.resolve("exclusions"));
    args.addAll(List.of(more));
    Result result = WorkerProcess.of(dir, args.toArray(String[]::new)).run();
    assertThat(result.exitCode()).as("%s", result).isZero();
    return result;
  }

  @Test
  void removesEveryTagOfAnImageListedByOneTag() {
    Map<String, String> ids =
        importImages(
            node(),
            OciArchive.builder()
                .image(
                    "app", "docker.io/team/app:1", "docker.io/team/app:2", "docker.io/team/app:3")
                .image("other", "docker.io/team/other:1"));

    Result result = remove("[\"docker.io/team/app:2\"]");

    assertThat(imageIds(node())).doesNotContain(ids.get("app")).contains(ids.get("other"));
    assertThat(tags(node())).noneMatch(t -> t.startsWith("docker.io/team/app:"));
    assertThat(result.summary().get("removed").asInt()).isEqualTo(1);
    assertThat(result.decisionFor(ids.get("app"))).isEqualTo("removed");
  }

  @Test
  void removesAnImageTaggedInTwoRepositoriesOnceWithoutError() {
    Map<String, String> ids =
        importImages(
            node(), OciArchive.builder().image("shared", "docker.io/team/a:1", "quay.io/team/b:1"));

    Result result = remove("[\"quay.io/team/b:1\"]");

    assertThat(imageIds(node())).doesNotContain(ids.get("shared"));
    assertThat(tags(node())).doesNotContain("docker.io/team/a:1", "quay.io/team/b:1");
    assertThat(result.summary().get("removed").asInt()).isEqualTo(1);
    assertThat(result.summary().get("failed").asInt()).isZero();
  }

  @Test
  void pruneRemovesAnUntaggedImageAndUnusedTaggedOnes() {
    String orphan = node().importUntagged("orphan");
    Map<String, String> ids =
        importImages(node(), OciArchive.builder().image("app", "docker.io/team/app:1"));

    Result result = remove("[\"*\"]");

    assertThat(imageIds(node())).doesNotContain(orphan, ids.get("app"));
    assertThat(result.decisionFor(orphan)).isEqualTo("removed");
  }

  @Test
  void imageUsedOnlyByAnExitedContainerIsKeptAndLoggedAsInUse() {
    Map<String, String> ids =
        importImages(node(), OciArchive.builder().image("job", "docker.io/team/job:1"));
    String pod = node().runPod("batch");
    node().runAndExit(pod, "job", "docker.io/team/job:1");

    Result result = remove("[\"docker.io/team/job:1\", \"*\"]");

    assertThat(imageIds(node())).contains(ids.get("job"));
    assertThat(result.decisionFor(ids.get("job"))).isEqualTo("in use");
    assertThat(result.summary().get("inUse").asInt()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void containerCreatedFromATagKeepsItsImage() {
    Map<String, String> ids =
        importImages(
            node(),
            OciArchive.builder()
                .image("web", "docker.io/team/web:1")
                .image("old", "docker.io/team/old:1"));
    String pod = node().runPod("web");
    node().createContainer(pod, "web", "docker.io/team/web:1", true);

    remove("[\"*\"]");

    assertThat(imageIds(node())).contains(ids.get("web")).doesNotContain(ids.get("old"));
  }

  @Test
  void sandboxImageSurvivesPrune() {
    importImages(node(), OciArchive.builder().image("app", "docker.io/team/app:1"));

    Result result = remove("[\"*\"]");

    assertThat(tags(node())).contains(node().sandboxImage());
    assertThat(result.stdout()).contains("the runtime's sandbox image");
  }

  @Test
  void exclusionPatternsKeepExactlyTheImagesTheyName() {
    Map<String, String> ids =
        importImages(
            node(),
            OciArchive.builder()
                .image("alpine", "docker.io/library/alpine:3.7.3")
                .image("app", "docker.io/team/app:1")
                .image("app-old", "docker.io/team/app-old:1")
                .image("application", "docker.io/team/application:2")
                .image("keep", "docker.io/team/keep:1")
                .image("by-id", "docker.io/team/by-id:1")
                .image("plain", "docker.io/team/plain:1")
                .image("digested")
                .digestReference("digested", "docker.io/team/digested"));
    Path root = dir.resolve("exclusions");
    exclusionConfigMap(root, "system", Map.of("system.json", excluded("docker.io/library/*")));
    exclusionConfigMap(
        root,
        "team",
        Map.of(
            "patterns.json",
            excluded("team/app:*", ids.get("by-id"), OciArchive.manifestDigest("digested")),
            "exact-tags",
            excluded("docker.io/team/keep:1")));

    Result result = remove("[\"*\"]");

    assertThat(imageIds(node()))
        .contains(
            ids.get("alpine"),
            ids.get("app"),
            ids.get("keep"),
            ids.get("by-id"),
            ids.get("digested"))
        .doesNotContain(ids.get("app-old"), ids.get("application"), ids.get("plain"));
    assertThat(result.decisionFor(ids.get("app"))).isEqualTo("excluded");
    assertThat(result.decisionFor(ids.get("digested"))).isEqualTo("excluded");
    assertThat(result.summary().get("excluded").asInt()).isEqualTo(5);
  }

  @Test
  void shortNameInTheListRemovesTheNormalisedImage() {
    Map<String, String> ids =
        importImages(
            node(), OciArchive.builder().image("alpine", "docker.io/library/alpine:3.7.3"));

    remove("[\"alpine:3.7.3\"]");

    assertThat(imageIds(node())).doesNotContain(ids.get("alpine"));
  }

  @Test
  void listedImageNotOnTheNodeIsReportedNotFailed() {
    Result result = remove("[\"docker.io/team/never-pulled:1\"]");

    assertThat(result.summary().get("notOnNode").asInt()).isEqualTo(1);
    assertThat(result.summary().get("failed").asInt()).isZero();
  }

  @Test
  void dryRunReportsTheSameDecisionsAndRemovesNothing() {
    Map<String, String> ids =
        importImages(
            node(),
            OciArchive.builder()
                .image("app", "docker.io/team/app:1")
                .image("old", "docker.io/team/old:1")
                .image("web", "docker.io/team/web:1"));
    String pod = node().runPod("web");
    node().createContainer(pod, "web", "docker.io/team/web:1", true);
    var before = imageIds(node());

    Result dry = remove("[\"*\"]", "--dry-run");

    assertThat(imageIds(node())).isEqualTo(before);
    assertThat(dry.summary().get("dryRun").asBoolean()).isTrue();
    assertThat(dry.summary().get("removed").asInt()).isEqualTo(2);
    assertThat(dry.decisionFor(ids.get("web"))).isEqualTo("in use");
    assertThat(dry.stdout()).contains("would remove");

    Result real = remove("[\"*\"]");

    assertThat(real.summary().get("removed").asInt()).isEqualTo(2);
    assertThat(imageIds(node()))
        .doesNotContain(ids.get("app"), ids.get("old"))
        .contains(ids.get("web"));
  }
}
