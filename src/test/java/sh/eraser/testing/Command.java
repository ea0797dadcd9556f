package sh.eraser.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived host command (ctr, umount) and returns what it printed. */
final class Command {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private Command() {}

  /**
   * Runs {@code args} and returns its standard output.
   *
   * @throws IllegalStateException if it exits non-zero or runs longer than two minutes, with its
   *     standard error in the message
   */
  static String run(List<String> args) {
    return run(args, TIMEOUT);
  }

  /** Runs {@code args} with a time limit of its own. */
  static String run(List<String> args, Duration timeout) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("command-", ".out");
      err = Files.createTempFile("command-", ".err");
      Process process =
          new ProcessBuilder(args)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out after " + timeout + ": " + args);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "exit " + process.exitValue() + " from " + args + ": " + Files.readString(err).trim());
      }
      return Files.readString(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + args, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + args, e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A stray file in the temp directory is not worth failing a test over.
    }
  }
}
