package sh.eraser.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a worker command from the packaged {@code eraser.jar} in its own JVM, as a worker container
 * would, and collects what a user would see: exit code, log lines, termination message.
 */
public final class WorkerProcess {

  /**
   * The JVM flags the worker containers use, from src/main/jvm/worker.options; a benchmark may try
   * others through the system property {@code eraser.worker.jvmOptions}.
   */
  public static final List<String> JVM_FLAGS = jvmFlags();

  private static List<String> jvmFlags() {
    String override = System.getProperty("eraser.worker.jvmOptions");
    if (override != null) {
      return List.of(override.trim().split("\\s+"));
    }
    try {
      return Files.readAllLines(Path.of("src/main/jvm/worker.options")).stream()
          .map(String::trim)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the worker JVM options", e);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> prefix = new ArrayList<>();
  private final List<String> args = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private Process process;
  private Path out;
  private Path err;
  private Path terminationLog;
  private long startedNanos;

  private WorkerProcess(Path workDir, String... command) {
    args.addAll(List.of(command));
    this.out = workDir.resolve(command[0] + "-" + System.nanoTime() + ".out");
    this.err = workDir.resolve(command[0] + "-" + System.nanoTime() + ".err");
    this.terminationLog = workDir.resolve(command[0] + "-" + System.nanoTime() + ".termination");
  }

  /** A worker command, e.g. {@code of(dir, "remover", "--imagelist=...")}. */
  public static WorkerProcess of(Path workDir, String... command) {
    return new WorkerProcess(workDir, command);
  }

  /** Sets an environment variable of the process, as the pod spec sets a container's. */
  public WorkerProcess env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Runs the JVM under another program, e.g. setpriv to drop capabilities. */
  public WorkerProcess under(String... wrapper) {
    prefix.addAll(List.of(wrapper));
    return this;
  }

  public static Path jar() {
    String jar = System.getProperty("eraser.jar", "target/eraser.jar");
    Path path = Path.of(jar);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(path + " is missing: run ./mvnw package first");
    }
    return path;
  }

  public WorkerProcess start() {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.add("-jar");
    command.add(jar().toAbsolutePath().toString());
    command.addAll(args);
    command.add("--termination-log=" + terminationLog);
    try {
      startedNanos = System.nanoTime();
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().putAll(env);
      process = builder.start();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts, waits and returns the result; fails the test if it runs longer than a minute. */
  public Result run() {
    return start().await(Duration.ofMinutes(1));
  }

  public Result await(Duration limit) {
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            args + " still running after " + limit + "\n" + read(out) + read(err));
      }
      Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
      return new Result(process.exitValue(), took, read(out), read(err), readJson(terminationLog));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode readJson(Path file) {
    String text = read(file);
    try {
      return text.isEmpty() ? null : JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("termination message is not JSON: " + text, e);
    }
  }

  /** What the worker left behind. */
  public record Result(
      int exitCode, Duration took, String stdout, String stderr, JsonNode summary) {

    /** The JSON log lines that record a decision, as the worker wrote them. */
    public List<JsonNode> decisions() {
      List<JsonNode> lines = new ArrayList<>();
      for (String line : stdout.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode node = JSON.readTree(line);
          if (!decision(node).isEmpty()) {
            lines.add(node);
          }
        } catch (IOException e) {
          throw new AssertionError("log line is not JSON: " + line, e);
        }
      }
      return lines;
    }

    /** The value of a key-value pair the worker attached to a log line. */
    public static String field(JsonNode line, String key) {
      for (JsonNode pair : line.path("kvpList")) {
        if (pair.has(key)) {
          JsonNode value = pair.get(key);
          return value.isTextual() ? value.asText() : value.toString();
        }
      }
      return "";
    }

    public static String decision(JsonNode line) {
      return field(line, "decision");
    }

    /** The decision logged for the image with this ID. */
    public String decisionFor(String imageId) {
      return decisions().stream()
          .filter(d -> field(d, "imageId").equals(imageId))
          .map(Result::decision)
          .findFirst()
          .orElse("none");
    }

    @Override
    public String toString() {
      return "exit "
          + exitCode
          + " after "
          + took.toMillis()
          + " ms\nstdout:\n"
          + stdout
          + "\nstderr:\n"
          + stderr;
    }
  }
}
