package sh.eraser.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExclusionListTest {

  private static final String ID = "sha256:" + "c".repeat(64);

  @Test
  void namesThePatternAndItsSourceAsTheReason() {
    ExclusionList list =
        ExclusionList.of(List.of(entry("docker.io/library/*", "system/system.json")));

    assertThat(list.excludedBy(image("alpine:3.19")))
        .contains("excluded by \"docker.io/library/*\" in system/system.json");
  }

  @Test
  void excludesAnImageByAPatternThatNamesOnlyItsSecondTag() {
    ExclusionList list = ExclusionList.of(List.of(entry("reg.example/base:stable", "team/a.json")));

    assertThat(list.excludedBy(image("reg.example/base:1.4", "reg.example/base:stable")))
        .contains("excluded by \"reg.example/base:stable\" in team/a.json");
  }

  @Test
  void excludesAnImageByItsId() {
    ExclusionList list = ExclusionList.of(List.of(entry(ID, "team/ids")));

    assertThat(list.excludedBy(image("reg.example/app:1"))).isPresent();
  }

  @Test
  void reportsTheFirstPatternThatCoversTheImage() {
    ExclusionList list =
        ExclusionList.of(
            List.of(entry("nginx", "a/x.json"), entry("alpine:*", "b/y.json"), entry("*", "c/z")));

    assertThat(list.excludedBy(image("alpine:3"))).contains("excluded by \"alpine:*\" in b/y.json");
  }

  @Test
  void keepsNothingWhenNoPatternCoversTheImage() {
    ExclusionList list = ExclusionList.of(List.of(entry("team/*", "a/x.json")));

    assertThat(list.excludedBy(image("alpine:3"))).isEmpty();
  }

  @Test
  void emptyListExcludesNothing() {
    assertThat(ExclusionList.empty().size()).isZero();
    assertThat(ExclusionList.empty().excludedBy(image("alpine"))).isEmpty();
  }

  @Test
  void dropsExactDuplicateEntries() {
    ExclusionList list =
        ExclusionList.of(
            List.of(entry("alpine", "a/x"), entry("alpine", "a/x"), entry("alpine", "b/y")));

    assertThat(list.size()).isEqualTo(2);
  }

  private static ExclusionList.Entry entry(String pattern, String source) {
    return new ExclusionList.Entry(ImageMatcher.parse(pattern), source);
  }

  private static NodeImage image(String... tags) {
    return new NodeImage(ID, List.of(tags), List.of(), false);
  }
}
