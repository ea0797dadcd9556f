package sh.eraser.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.images.ImageMatcher;

class ImageListFileTest {

  @TempDir Path dir;

  @Test
  void readsReferencesDigestsAndEveryUnusedImage() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("images"), "[\"alpine:3.7.3\", \"*\", \"sha256:" + "a".repeat(64) + "\"]");

    assertThat(ImageListFile.read(file))
        .extracting(ImageMatcher::text)
        .containsExactly("alpine:3.7.3", "*", "sha256:" + "a".repeat(64));
  }

  @Test
  void rejectsAnObjectInsteadOfAnArray() throws IOException {
    Path file = Files.writeString(dir.resolve("images"), "{\"images\": []}");

    assertThatThrownBy(() -> ImageListFile.read(file))
        .hasMessageContaining("--imagelist " + file)
        .hasMessageContaining("JSON array");
  }

  @Test
  void rejectsTheWholeListForOneBadEntryNamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("images"), "[\"alpine\", \"Not/Valid:ref\"]");

    assertThatThrownBy(() -> ImageListFile.read(file))
        .hasMessageContaining("entry 1")
        .hasMessageContaining("Not/Valid:ref");
  }

  @Test
  void rejectsNonStringEntriesAndBrokenJson() throws IOException {
    Path numbers = Files.writeString(dir.resolve("numbers"), "[1]");
    Path broken = Files.writeString(dir.resolve("broken"), "[\"alpine\"");

    assertThatThrownBy(() -> ImageListFile.read(numbers))
        .hasMessageContaining("entry 0 (1) is not a string");
    assertThatThrownBy(() -> ImageListFile.read(broken))
        .hasMessageContaining("not valid JSON at line 1")
        .hasMessageNotContaining("REDACTED");
    assertThatThrownBy(() -> ImageListFile.read(dir.resolve("absent")))
        .hasMessageContaining("absent")
        .hasMessageContaining("cannot read it");
  }
}
