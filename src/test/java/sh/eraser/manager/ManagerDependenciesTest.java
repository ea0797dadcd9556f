package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The package rules of the design for {@code manager}, checked on the main sources. */
class ManagerDependenciesTest {

  private static final Path MAIN = Path.of("src/main/java");
  private static final Path MANAGER = MAIN.resolve("sh/eraser/manager");
  private static final Pattern PROJECT_IMPORT =
      Pattern.compile("^import (?:static )?sh\\.eraser\\.(\\w+)", Pattern.MULTILINE);

  @Test
  void onlyTheEntryPointImportsTheManager() {
    List<Path> importers =
        sources(MAIN).stream()
            .filter(file -> !file.startsWith(MANAGER))
            .filter(file -> projectImports(file).contains("manager"))
            .toList();

    assertThat(importers).containsExactly(MAIN.resolve("sh/eraser/Main.java"));
  }

  @Test
  void theManagerUsesOnlyTheApiConfigAndImagePackages() {
    for (Path file : sources(MANAGER)) {
      assertThat(projectImports(file))
          .as("project packages imported by %s", file)
          .isSubsetOf("api", "config", "images");
    }
  }

  private static List<Path> sources(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static List<String> projectImports(Path file) {
    try {
      Matcher imports = PROJECT_IMPORT.matcher(Files.readString(file));
      return imports.results().map(m -> m.group(1)).distinct().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
