package sh.eraser.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExclusionLoaderTest {

  @TempDir Path root;

  @Test
  void mergesTheListsOfEveryExclusionConfigMap() throws IOException {
    write("exclude-system/system.json", "{\"excluded\": [\"docker.io/library/*\"]}");
    write("exclude-team/list.json", "{\"excluded\": [\"team/app:*\", \"reg.example/base:1\"]}");

    ExclusionList list = ExclusionLoader.load(root);

    assertThat(list.size()).isEqualTo(3);
    assertThat(list.excludedBy(image("alpine:3")))
        .contains("excluded by \"docker.io/library/*\" in system/system.json");
    assertThat(list.excludedBy(image("team/app:7")))
        .contains("excluded by \"team/app:*\" in team/list.json");
  }

  @Test
  void readsEveryKeyWhateverItsName() throws IOException {
    write("exclude-team/patterns", "{\"excluded\": [\"nginx\"]}");
    write("exclude-team/more.json", "{\"excluded\": [\"redis\"]}");

    ExclusionList list = ExclusionLoader.load(root);

    assertThat(list.excludedBy(image("nginx:latest")))
        .contains("excluded by \"nginx\" in team/patterns");
    assertThat(list.excludedBy(image("redis"))).isPresent();
  }

  @Test
  void readsAConfigMapVolumeWithItsSymlinkedDataDirectory() throws IOException {
    Path volume = Files.createDirectory(root.resolve("exclude-system"));
    Path timestamped = Files.createDirectory(volume.resolve("..2026_01_02_03_04_05.123456789"));
    Files.writeString(timestamped.resolve("system.json"), "{\"excluded\": [\"pause:*\"]}");
    Files.createSymbolicLink(volume.resolve("..data"), timestamped.getFileName());
    Files.createSymbolicLink(volume.resolve("system.json"), Path.of("..data", "system.json"));

    ExclusionList list = ExclusionLoader.load(root);

    assertThat(list.entries())
        .extracting(ExclusionList.Entry::source)
        .containsExactly("system/system.json");
    assertThat(list.excludedBy(image("pause:3.9"))).isPresent();
  }

  @Test
  void ignoresEverythingThatIsNotAnExclusionDirectory() throws IOException {
    write("other/list.json", "{\"excluded\": [\"alpine\"]}");
    write("exclude-file", "{\"excluded\": [\"nginx\"]}");

    assertThat(ExclusionLoader.load(root).size()).isZero();
  }

  @Test
  void missingRootMeansNoExclusions() {
    assertThat(ExclusionLoader.load(root.resolve("absent")).size()).isZero();
  }

  @Test
  void acceptsAnEmptyList() throws IOException {
    write("exclude-team/list.json", "{\"excluded\": []}");

    assertThat(ExclusionLoader.load(root).size()).isZero();
  }

  @Test
  void malformedJsonNamesTheConfigMapAndTheKey() throws IOException {
    write("exclude-system/system.json", "{\"excluded\": [\"alpine\"]}");
    write("exclude-team/list.json", "{\"excluded\": [\"alpine\"");

    assertThatThrownBy(() -> ExclusionLoader.load(root))
        .isInstanceOf(ExclusionListException.class)
        .hasMessageStartingWith("exclusion ConfigMap \"team\", key \"list.json\": invalid JSON");
  }

  @Test
  void invalidPatternNamesTheValue() throws IOException {
    write("exclude-team/list.json", "{\"excluded\": [\"alpine\", \"Team/App:1\"]}");

    assertThatThrownBy(() -> ExclusionLoader.load(root))
        .isInstanceOf(ExclusionListException.class)
        .hasMessageContaining("\"team\"")
        .hasMessageContaining("\"list.json\"")
        .hasMessageContaining("excluded[1]")
        .hasMessageContaining("\"Team/App:1\"");
  }

  @Test
  void unsupportedWildcardIsRejected() throws IOException {
    write("exclude-team/list.json", "{\"excluded\": [\"docker.io/*/app\"]}");

    assertThatThrownBy(() -> ExclusionLoader.load(root))
        .isInstanceOf(ExclusionListException.class)
        .hasMessageContaining("\"docker.io/*/app\"");
  }

  @Test
  void listWithoutExcludedArrayIsRejected() throws IOException {
    write("exclude-team/list.json", "{\"exclude\": [\"alpine\"]}");

    assertThatThrownBy(() -> ExclusionLoader.load(root))
        .isInstanceOf(ExclusionListException.class)
        .hasMessageContaining("\"excluded\" must be an array of strings");
  }

  @Test
  void excludedThatIsNotAnArrayIsRejected() throws IOException {
    write("exclude-team/list.json", "{\"excluded\": \"alpine\"}");

    assertThatThrownBy(() -> ExclusionLoader.load(root))
        .isInstanceOf(ExclusionListException.class)
        .hasMessageContaining("\"excluded\" must be an array of strings");
  }

  @Test
  void entryThatIsNotAStringIsRejected() throws IOException {
    write("exclude-team/list.json", "{\"excluded\": [\"alpine\", 42]}");

    assertThatThrownBy(() -> ExclusionLoader.load(root))
        .isInstanceOf(ExclusionListException.class)
        .hasMessageContaining("excluded[1] must be a string, not 42");
  }

  @Test
  void jsonThatIsNotAnObjectIsRejected() throws IOException {
    write("exclude-team/list.json", "[\"alpine\"]");

    assertThatThrownBy(() -> ExclusionLoader.load(root))
        .isInstanceOf(ExclusionListException.class)
        .hasMessageContaining("must hold a JSON object");
  }

  @Test
  void emptyKeyIsRejected() throws IOException {
    write("exclude-team/list.json", "");

    assertThatThrownBy(() -> ExclusionLoader.load(root))
        .isInstanceOf(ExclusionListException.class)
        .hasMessageContaining("\"list.json\"");
  }

  @Test
  void duplicateFieldIsRejected() throws IOException {
    write("exclude-team/list.json", "{\"excluded\": [\"alpine\"], \"excluded\": []}");

    assertThatThrownBy(() -> ExclusionLoader.load(root))
        .isInstanceOf(ExclusionListException.class)
        .hasMessageContaining("invalid JSON");
  }

  @Test
  void unreadableKeyNamesTheConfigMapAndTheKey() throws IOException {
    Path volume = Files.createDirectory(root.resolve("exclude-team"));
    Files.createSymbolicLink(volume.resolve("list.json"), Path.of("..data", "list.json"));

    assertThatThrownBy(() -> ExclusionLoader.load(root))
        .isInstanceOf(ExclusionListException.class)
        .hasMessageStartingWith("exclusion ConfigMap \"team\", key \"list.json\": cannot be read")
        .satisfies(
            e -> {
              ExclusionListException failure = (ExclusionListException) e;
              assertThat(failure.configMap()).contains("team");
              assertThat(failure.key()).contains("list.json");
            });
  }

  @Test
  void rootThatIsNotADirectoryIsRejected() throws IOException {
    Path file = Files.writeString(root.resolve("file"), "");

    assertThatThrownBy(() -> ExclusionLoader.load(file))
        .isInstanceOf(ExclusionListException.class)
        .hasMessageContaining("cannot list");
  }

  private void write(String relative, String content) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private static NodeImage image(String... tags) {
    return new NodeImage("sha256:" + "a".repeat(64), List.of(tags), List.of(), false);
  }
}
