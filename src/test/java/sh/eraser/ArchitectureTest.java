package sh.eraser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Packages depend downwards only, as docs/architecture.md lays out. */
class ArchitectureTest {

  private static final Path SOURCES = Path.of("src/main/java/sh/eraser");
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?sh\\.eraser\\.(\\w+)", Pattern.MULTILINE);

  /** For each package, the project packages it may import (besides itself). */
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "api", Set.of(),
          "config", Set.of(),
          "images", Set.of(),
          "cri", Set.of(),
          // Metrics know neither who records them nor what a run or an image is.
          "metrics", Set.of(),
          "scanner", Set.of("cri", "images", "config"),
          "worker", Set.of("cri", "images", "config", "metrics", "scanner"),
          "manager", Set.of("api", "config", "images", "metrics"));

  @Test
  void packagesImportOnlyWhatTheyMay() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Map.Entry<String, Set<String>> rule : ALLOWED.entrySet()) {
      Path dir = SOURCES.resolve(rule.getKey());
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          Matcher m = IMPORT.matcher(Files.readString(file));
          while (m.find()) {
            String target = m.group(1);
            if (!target.equals(rule.getKey()) && !rule.getValue().contains(target)) {
              violations.add(SOURCES.relativize(file) + " imports sh.eraser." + target);
            }
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void theRulesCoverEveryPackage() throws IOException {
    try (Stream<Path> dirs = Files.list(SOURCES)) {
      assertThat(dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()))
          .allMatch(ALLOWED::containsKey);
    }
  }
}
