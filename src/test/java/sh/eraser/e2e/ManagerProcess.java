package sh.eraser.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@code eraser manager} process run from the shaded jar against the end-to-end cluster, the way
 * a developer runs it from a kubeconfig. Its output goes to {@code target/e2e-logs/}.
 */
final class ManagerProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final int healthPort;
  private final Path log;

  private ManagerProcess(String name, Process process, int healthPort, Path log) {
    this.name = name;
    this.process = process;
    this.healthPort = healthPort;
    this.log = log;
  }

  /** Starts a manager in {@code namespace}; {@code extraArgs} are appended to the command. */
  static ManagerProcess start(E2ECluster cluster, String name, String namespace, String... extra) {
    try {
      int port = freePort();
      Path logs = Files.createDirectories(Path.of("target/e2e-logs"));
      Path log = logs.resolve(name + ".log");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-jar");
      command.add(System.getProperty("eraser.jar", "target/eraser.jar"));
      command.addAll(
          List.of(
              "manager",
              "--namespace",
              namespace,
              "--health-port",
              Integer.toString(port),
              "--health-bind-address",
              "127.0.0.1",
              "--metrics-port",
              "0",
              "--log-format",
              "text"));
      command.addAll(List.of(extra));
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
      builder.environment().remove("POD_NAME");
      builder.environment().remove("POD_NAMESPACE");
      return new ManagerProcess(name, builder.start(), port, log);
    } catch (IOException e) {
      throw new UncheckedIOException("starting manager " + name, e);
    }
  }

  String name() {
    return name;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Whether {@code /readyz} answers 200. */
  boolean isReady() {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/readyz")).build();
      return HttpClient.newHttpClient()
              .send(request, HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The process's output so far, for assertions and failure messages. */
  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills the process at once, as a node failure or an OOM kill would. */
  void kill() {
    process.destroyForcibly();
    waitForExit();
  }

  @Override
  public void close() {
    process.destroy();
    waitForExit();
  }

  private void waitForExit() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
