package sh.eraser.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The build generates the CRDs from {@code sh.eraser.api} into {@code target/crds} at
 * process-classes; this test fails when the committed copy in {@code crds/} differs.
 */
class CrdsAreCurrentTest {

  private static final String REGENERATE = "./mvnw process-classes -Pupdate-crds";

  @Test
  void committedCrdsMatchWhatTheBuildGenerates() throws IOException {
    Path generated = Path.of(System.getProperty("eraser.crds.generated", "target/crds"));
    Map<String, String> expected = contents(generated);
    assertThat(expected)
        .as("no generated CRDs in %s: run ./mvnw process-classes first", generated)
        .isNotEmpty();

    Map<String, String> committed = contents(Crds.COMMITTED);
    TreeSet<String> names = new TreeSet<>(expected.keySet());
    names.addAll(committed.keySet());
    List<String> stale =
        names.stream()
            .filter(name -> !Objects.equals(expected.get(name), committed.get(name)))
            .toList();

    assertThat(stale)
        .as(
            "these files in crds/ differ from what the build generated in %s;"
                + " run %s and commit crds/",
            generated, REGENERATE)
        .isEmpty();
  }

  private static Map<String, String> contents(Path directory) throws IOException {
    Map<String, String> byName = new TreeMap<>();
    if (!Files.isDirectory(directory)) {
      return byName;
    }
    for (Path file : Crds.yamlFiles(directory)) {
      byName.put(file.getFileName().toString(), Files.readString(file));
    }
    return byName;
  }
}
