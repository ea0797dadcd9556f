package sh.eraser.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class ImageReferenceTest {

  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "alpine, docker.io/library/alpine:latest",
    "alpine:3.7.3, docker.io/library/alpine:3.7.3",
    "team/app, docker.io/team/app:latest",
    "docker.io/alpine, docker.io/library/alpine:latest",
    "index.docker.io/alpine:3, docker.io/library/alpine:3",
    "index.docker.io/team/app:1, docker.io/team/app:1",
    "docker.io/library/alpine:latest, docker.io/library/alpine:latest",
    "localhost/app, localhost/app:latest",
    "localhost:5000/team/app:v1, localhost:5000/team/app:v1",
    "reg.example:5000/app:1, reg.example:5000/app:1",
    "[::1]:5000/app, [::1]:5000/app:latest",
    "ghcr.io/org/sub/app:1.2_B-3, ghcr.io/org/sub/app:1.2_B-3",
    "a__b/c-d--e/f.g_h, docker.io/a__b/c-d--e/f.g_h:latest",
  })
  void normalisesNamesTheWayContainerRuntimesDo(String input, String canonical) {
    assertThat(ImageReference.parse(input)).hasToString(canonical);
  }

  @Test
  void keepsADigestWithoutAddingTheDefaultTag() {
    ImageReference reference = ImageReference.parse("alpine@" + DIGEST);

    assertThat(reference.tag()).isNull();
    assertThat(reference.digest()).isEqualTo(DIGEST);
    assertThat(reference).hasToString("docker.io/library/alpine@" + DIGEST);
  }

  @Test
  void keepsBothTagAndDigest() {
    ImageReference reference = ImageReference.parse("team/app:1.0@" + DIGEST);

    assertThat(reference)
        .isEqualTo(new ImageReference("docker.io", "team/app", "1.0", DIGEST))
        .hasToString("docker.io/team/app:1.0@" + DIGEST);
  }

  @Test
  void keepsARegistryPortApartFromTheTag() {
    ImageReference reference = ImageReference.parse("reg.example:5000/app:1");

    assertThat(reference.domain()).isEqualTo("reg.example:5000");
    assertThat(reference.path()).isEqualTo("app");
    assertThat(reference.tag()).isEqualTo("1");
    assertThat(reference.repository()).isEqualTo("reg.example:5000/app");
  }

  @Test
  void readsAFirstComponentWithoutDotColonOrLocalhostAsAPath() {
    assertThat(ImageReference.parse("myregistry/app").repository())
        .isEqualTo("docker.io/myregistry/app");
  }

  @ParameterizedTest
  @NullAndEmptySource
  void rejectsAnEmptyReference(String input) {
    assertThatThrownBy(() -> ImageReference.parse(input))
        .isInstanceOf(InvalidImageReferenceException.class)
        .hasMessageContaining("must not be empty");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Alpine | must be lowercase",
        "team/App:1 | must be lowercase",
        "a/*/b | path component \"*\"",
        "alpine: | tag \"\"",
        "alpine:-x | tag \"-x\"",
        "alpine:a/b | \"alpine:a\" is not a valid registry",
        "alpine@sha256:abc | digest \"sha256:abc\"",
        "alpine@md5:0123 | digest \"md5:0123\"",
        "team//app | empty component",
        "reg.example:5000/ | path is empty",
        "-bad.example/app | \"-bad.example\" is not a valid registry",
        "app_/x | path component \"app_\"",
        "alpine latest | path component \"alpine latest\"",
      })
  void rejectsInvalidReferencesSayingWhatIsWrong(String input, String problem) {
    assertThatThrownBy(() -> ImageReference.parse(input))
        .isInstanceOf(InvalidImageReferenceException.class)
        .hasMessageStartingWith("invalid image reference \"" + input + "\": ")
        .hasMessageContaining(problem);
  }

  @Test
  void rejectsATagLongerThan128Characters() {
    assertThatThrownBy(() -> ImageReference.parse("alpine:" + "a".repeat(129)))
        .isInstanceOf(InvalidImageReferenceException.class)
        .hasMessageContaining("1 to 128");
  }

  @Test
  void rejectsARepositoryNameLongerThan255Characters() {
    assertThatThrownBy(() -> ImageReference.parse("a/".repeat(128) + "b"))
        .isInstanceOf(InvalidImageReferenceException.class)
        .hasMessageContaining("longer than 255");
  }

  @Test
  void rejectsWhatItCannotParseAsAnIllegalArgument() {
    assertThatThrownBy(() -> ImageReference.parse("UPPER"))
        .isInstanceOf(IllegalArgumentException.class)
        .extracting(e -> ((InvalidImageReferenceException) e).input())
        .isEqualTo("UPPER");
  }
}
