package sh.eraser.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the helm binary the project builds from its Go module. {@code make test} passes its path as
 * the system property {@code eraser.helm}; without it (a test run straight from Maven or an IDE)
 * the same script is run here, so the chart checks never quietly skip.
 */
final class Helm {

  /** What a finished command left. */
  record Result(int exitCode, String out, String err) {}

  private static final String SCRIPT = "hack/local-cluster/build-binaries.sh";
  private static Path binary;

  private Helm() {}

  /** {@code helm args...} from the project directory, which must exit 0; its standard output. */
  static String run(String... args) {
    Result result = exec(args);
    assertThat(result.exitCode())
        .as("helm %s failed:%n%s", String.join(" ", args), result.err())
        .isZero();
    return result.out();
  }

  /** {@code helm args...} from the project directory, whatever its exit code. */
  static Result exec(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(List.of(args));
    return execute(command);
  }

  /** The helm binary: the property, else what the build script builds or finds in its cache. */
  static synchronized Path binary() {
    if (binary == null) {
      String property = System.getProperty("eraser.helm", "");
      if (property.isBlank()) {
        Result built = execute(List.of(SCRIPT, "helm"));
        assertThat(built.exitCode()).as("%s helm failed:%n%s", SCRIPT, built.err()).isZero();
        property = built.out().strip() + "/helm";
      }
      Path path = Path.of(property);
      assertThat(Files.isExecutable(path)).as("helm is not executable at %s", path).isTrue();
      binary = path;
    }
    return binary;
  }

  static Result execute(List<String> command) {
    try {
      Path out = Files.createTempFile("helm", ".out");
      Path err = Files.createTempFile("helm", ".err");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        // Building helm the first time takes minutes; rendering takes a fraction of a second.
        if (!process.waitFor(20, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return new Result(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + String.join(" ", command), e);
    }
  }
}
