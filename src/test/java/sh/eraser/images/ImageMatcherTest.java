package sh.eraser.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageMatcherTest {

  private static final String HEX = "0123456789abcdef".repeat(4);
  private static final String DIGEST = "sha256:" + "d".repeat(64);
  private static final String OTHER_DIGEST = "sha256:" + "e".repeat(64);

  @Test
  void pathWildcardCoversEveryRepositoryBelowThePath() {
    ImageMatcher matcher = ImageMatcher.parse("docker.io/library/*");

    assertThat(matcher.matches(tagged("alpine:3"))).isTrue();
    assertThat(matcher.matches(tagged("docker.io/library/x/y:1"))).isTrue();
    assertThat(matcher.matches(tagged("docker.io/libraryx/a:1"))).isFalse();
    assertThat(matcher.matches(tagged("team/app:1"))).isFalse();
  }

  @Test
  void pathWildcardWithoutRegistryMeansDockerHub() {
    ImageMatcher matcher = ImageMatcher.parse("team/*");

    assertThat(matcher.matches(tagged("docker.io/team/app:1"))).isTrue();
    assertThat(matcher.matches(tagged("reg.example/team/app:1"))).isFalse();
    assertThat(matcher.matches(tagged("team:1"))).isFalse();
  }

  @Test
  void registryWildcardCoversEveryRepositoryOfThatRegistry() {
    ImageMatcher matcher = ImageMatcher.parse("reg.example:5000/*");

    assertThat(matcher.matches(tagged("reg.example:5000/app:1"))).isTrue();
    assertThat(matcher.matches(tagged("reg.example:5000/a/b/c:1"))).isTrue();
    assertThat(matcher.matches(tagged("reg.example/app:1"))).isFalse();
  }

  @Test
  void tagWildcardCoversEveryTagOfExactlyThatRepository() {
    ImageMatcher matcher = ImageMatcher.parse("team/app:*");

    assertThat(matcher.matches(tagged("team/app:1"))).isTrue();
    assertThat(matcher.matches(tagged("docker.io/team/app:2"))).isTrue();
    assertThat(matcher.matches(tagged("team/app-old:1"))).isFalse();
    assertThat(matcher.matches(tagged("team/application:2"))).isFalse();
    assertThat(matcher.matches(tagged("team/app/sub:1"))).isFalse();
  }

  @Test
  void tagWildcardCoversDigestsOfThatRepository() {
    ImageMatcher matcher = ImageMatcher.parse("team/app:*");

    assertThat(matcher.matches(withDigests("docker.io/team/app@" + DIGEST))).isTrue();
  }

  @Test
  void tagWildcardKeepsTheRegistryPort() {
    ImageMatcher matcher = ImageMatcher.parse("reg:5000/app:*");

    assertThat(matcher.matches(tagged("reg:5000/app:1"))).isTrue();
    assertThat(matcher.matches(tagged("reg:5000/app2:1"))).isFalse();
    assertThat(matcher.matches(tagged("reg:5001/app:1"))).isFalse();
  }

  @Test
  void exactTagMatchesOnlyThatTag() {
    ImageMatcher matcher = ImageMatcher.parse("docker.io/library/alpine:3.7");

    assertThat(matcher.matches(tagged("docker.io/library/alpine:3.7"))).isTrue();
    assertThat(matcher.matches(tagged("docker.io/library/alpine:3.7.3"))).isFalse();
    assertThat(matcher.matches(tagged("docker.io/library/alpine:latest"))).isFalse();
  }

  @Test
  void shortNameMatchesTheNormalisedTag() {
    assertThat(ImageMatcher.parse("alpine:3.7.3").matches(tagged("docker.io/library/alpine:3.7.3")))
        .isTrue();
    assertThat(ImageMatcher.parse("alpine").matches(tagged("docker.io/library/alpine:latest")))
        .isTrue();
    assertThat(ImageMatcher.parse("alpine").matches(tagged("docker.io/library/alpine:3")))
        .isFalse();
  }

  @Test
  void matchesAnImageByAnyOfItsTags() {
    NodeImage image = tagged("reg.example/base:1", "reg.example/base:stable");

    assertThat(ImageMatcher.parse("reg.example/base:stable").matches(image)).isTrue();
  }

  @Test
  void repositoryDigestMatchesTheImageHoldingItInThatRepository() {
    ImageMatcher matcher = ImageMatcher.parse("alpine@" + DIGEST);

    assertThat(matcher.matches(withDigests("docker.io/library/alpine@" + DIGEST))).isTrue();
    assertThat(matcher.matches(withDigests("docker.io/team/alpine@" + DIGEST))).isFalse();
    assertThat(matcher.matches(withDigests("docker.io/library/alpine@" + OTHER_DIGEST))).isFalse();
  }

  @Test
  void tagAndDigestMatchesByTheDigest() {
    ImageMatcher matcher = ImageMatcher.parse("alpine:3.19@" + DIGEST);

    NodeImage image =
        new NodeImage(
            "sha256:" + HEX,
            List.of("docker.io/library/alpine:3.20"),
            List.of("docker.io/library/alpine@" + DIGEST),
            false);
    assertThat(matcher.matches(image)).isTrue();
  }

  @Test
  void bareDigestMatchesOneImageByRepositoryDigestAndAnotherByItsId() {
    ImageMatcher matcher = ImageMatcher.parse(DIGEST);

    NodeImage byRepoDigest = withDigests("reg.example/app@" + DIGEST);
    NodeImage byId = new NodeImage(DIGEST, List.of("reg.example/other:1"), List.of(), false);
    assertThat(matcher.matches(byRepoDigest)).isTrue();
    assertThat(matcher.matches(byId)).isTrue();
    assertThat(matcher.matches(withDigests("reg.example/app@" + OTHER_DIGEST))).isFalse();
  }

  @Test
  void bareHexIdMatchesAnImageWhateverFormTheRuntimeGivesItsId() {
    ImageMatcher matcher = ImageMatcher.parse(HEX);

    assertThat(matcher.matches(new NodeImage("sha256:" + HEX, List.of(), List.of(), false)))
        .isTrue();
    assertThat(matcher.matches(new NodeImage(HEX, List.of(), List.of(), false))).isTrue();
  }

  @Test
  void starAloneMatchesEveryImage() {
    ImageMatcher matcher = ImageMatcher.parse("*");

    assertThat(matcher.matches(tagged("anything/at:all"))).isTrue();
    assertThat(matcher.matches(new NodeImage(DIGEST, List.of(), List.of(), false))).isTrue();
  }

  @Test
  void ignoresRuntimeNamesThatDoNotParse() {
    NodeImage image =
        new NodeImage("odd-id", List.of("<none>:<none>", "Bad//Name"), List.of("x@y"), false);

    assertThat(ImageMatcher.parse("docker.io/library/*").matches(image)).isFalse();
    assertThat(ImageMatcher.parse("bad:*").matches(image)).isFalse();
    assertThat(ImageMatcher.parse(DIGEST).matches(image)).isFalse();
  }

  @Test
  void matchesARuntimeNameThatDoesNotParseWhenWrittenIdentically() {
    String id = "sha512:" + "f".repeat(128);
    NodeImage image = new NodeImage(id, List.of(), List.of(), false);

    assertThat(ImageMatcher.parse(id).matches(image)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", "docker.io/library/*", "team/*", "team/app:*", "reg:5000/app:*"})
  void reportsWildcards(String text) {
    assertThat(ImageMatcher.parse(text).isWildcard()).isTrue();
  }

  @Test
  void reportsReferencesAndDigestsAsNoWildcards() {
    assertThat(ImageMatcher.parse("alpine").isWildcard()).isFalse();
    assertThat(ImageMatcher.parse("team/app:1").isWildcard()).isFalse();
    assertThat(ImageMatcher.parse(DIGEST).isWildcard()).isFalse();
  }

  @Test
  void keepsTheTextTheUserWrote() {
    assertThat(ImageMatcher.parse("alpine").text()).isEqualTo("alpine");
    assertThat(ImageMatcher.parse("team/*")).hasToString("team/*");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a/*/b | a wildcard must be",
        "*/app | a wildcard must be",
        "team/app* | a wildcard must be",
        "team/*/* | a wildcard must be",
        "** | a wildcard must be",
        "team/app:1* | a wildcard must be",
        "team/app:1:* | must follow a repository name without a tag",
        "/* | path is empty",
        ":* | path is empty",
        "Team/* | must be lowercase",
        "sha256:abc | a digest must be sha256:",
      })
  void rejectsUnsupportedPatterns(String text, String problem) {
    assertThatThrownBy(() -> ImageMatcher.parse(text))
        .isInstanceOf(InvalidImageReferenceException.class)
        .hasMessageStartingWith("invalid image reference \"" + text + "\": ")
        .hasMessageContaining(problem);
  }

  @Test
  void rejectsAWildcardAfterADigest() {
    assertThatThrownBy(() -> ImageMatcher.parse("alpine@" + DIGEST + "/*"))
        .isInstanceOf(InvalidImageReferenceException.class)
        .hasMessageContaining("cannot follow a digest");
  }

  @Test
  void rejectsAnEmptyPattern() {
    assertThatThrownBy(() -> ImageMatcher.parse(""))
        .isInstanceOf(InvalidImageReferenceException.class)
        .hasMessageContaining("must not be empty");
  }

  private static NodeImage tagged(String... tags) {
    return new NodeImage("sha256:" + HEX, List.of(tags), List.of(), false);
  }

  private static NodeImage withDigests(String... digests) {
    return new NodeImage("sha256:" + HEX, List.of(), List.of(digests), false);
  }
}
