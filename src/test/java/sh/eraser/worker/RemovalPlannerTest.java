package sh.eraser.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.eraser.worker.Inventories.container;
import static sh.eraser.worker.Inventories.id;
import static sh.eraser.worker.Inventories.image;
import static sh.eraser.worker.Inventories.inventory;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import sh.eraser.cri.api.ContainerState;
import sh.eraser.images.ExclusionList;
import sh.eraser.images.ImageMatcher;
import sh.eraser.images.NodeImage;

class RemovalPlannerTest {

  private static final NodeImage APP =
      image(id('a'), "docker.io/team/app:1", "docker.io/team/app:2");
  private static final NodeImage ALPINE = image(id('b'), "docker.io/library/alpine:3.7.3");
  private static final NodeImage PAUSE = image(id('c'), "registry.eraser.test/pause:3.9");
  private static final NodeImage RUNNING = image(id('d'), "docker.io/team/web:1");

  private final NodeInventory node =
      inventory(
          List.of(APP, ALPINE, PAUSE, RUNNING),
          List.of(
              container("web", "docker.io/team/web:1", id('d'), ContainerState.CONTAINER_RUNNING)));

  @Test
  void removesAnImageNamedByItsSecondTagOnce() {
    var decisions = plan(ExclusionList.empty(), "docker.io/team/app:2", "team/app:1");

    assertThat(decisions).hasSize(1);
    assertThat(decisions.get(0).image()).isEqualTo(APP);
    assertThat(decisions.get(0).verdict()).isEqualTo(Verdict.REMOVED);
  }

  @Test
  void shortNameFindsTheNormalisedImage() {
    assertThat(verdicts(plan(ExclusionList.empty(), "alpine:3.7.3")))
        .containsExactly(Map.entry(ALPINE.id(), Verdict.REMOVED));
  }

  @Test
  void pruneKeepsRunningAndSandboxImages() {
    assertThat(verdicts(plan(ExclusionList.empty(), "*")))
        .containsOnly(
            Map.entry(APP.id(), Verdict.REMOVED),
            Map.entry(ALPINE.id(), Verdict.REMOVED),
            Map.entry(PAUSE.id(), Verdict.IN_USE),
            Map.entry(RUNNING.id(), Verdict.IN_USE));
  }

  @Test
  void excludedImageStaysEvenWhenListedByAnotherTag() {
    var exclusions =
        ExclusionList.of(
            List.of(new ExclusionList.Entry(ImageMatcher.parse("team/app:1"), "test/list.json")));

    var decisions = plan(exclusions, "docker.io/team/app:2");

    assertThat(decisions)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.verdict()).isEqualTo(Verdict.EXCLUDED);
              assertThat(d.reason()).contains("team/app:1").contains("test/list.json");
            });
  }

  @Test
  void listedImageThatIsNotThereIsReportedAsNotOnNode() {
    var decisions = plan(ExclusionList.empty(), "docker.io/team/gone:1");

    assertThat(decisions)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.image()).isNull();
              assertThat(d.verdict()).isEqualTo(Verdict.NOT_ON_NODE);
              assertThat(d.requested()).isEqualTo("docker.io/team/gone:1");
            });
  }

  @Test
  void runningImageListedByIdIsKeptAndSaysWhichContainerUsesIt() {
    var decisions = plan(ExclusionList.empty(), RUNNING.id());

    assertThat(decisions)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.verdict()).isEqualTo(Verdict.IN_USE);
              assertThat(d.reason()).contains("web").contains("running");
            });
  }

  private List<ImageDecision> plan(ExclusionList exclusions, String... requests) {
    return new RemovalPlanner(exclusions)
        .plan(node, Stream.of(requests).map(ImageMatcher::parse).toList());
  }

  private static Map<String, Verdict> verdicts(List<ImageDecision> decisions) {
    return decisions.stream()
        .collect(Collectors.toMap(d -> d.image().id(), ImageDecision::verdict));
  }
}
