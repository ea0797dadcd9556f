package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import sh.eraser.Main;

class ManagerCommandTest {

  private final StringWriter err = new StringWriter();

  @TempDir Path dir;

  @BeforeAll
  static void quiet() {
    MockApi.quiet();
  }

  @Test
  void anInvalidConfigFileExitsWithOneAndNamesTheKeyAndValue() throws IOException {
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        """
        apiVersion: eraser.sh/v1alpha3
        kind: EraserConfig
        manager:
          imageJob: {successRatio: 1.5}
        """);

    int code = runMain("manager", "--config", config.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .contains("--config " + config)
        .contains("manager.imageJob.successRatio: \"1.5\"");
  }

  @Test
  void aMissingConfigFileExitsWithOneAndNamesTheFile() {
    Path config = dir.resolve("absent.yaml");

    assertThat(runMain("manager", "--config", config.toString())).isEqualTo(1);
    assertThat(err.toString()).contains(config.toString());
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertThat(runMain("manager", "--log-format=xml")).isEqualTo(2);
    assertThat(runMain("manager", "--health-port=70000")).isEqualTo(2);
    assertThat(runMain("manager", "--leader-elect=maybe")).isEqualTo(2);
    assertThat(runMain("manager", "--metrics-port=-1")).isEqualTo(2);
    assertThat(err.toString())
        .contains("\"xml\" is not one of json, text")
        .contains("--health-port: 70000")
        .contains("--metrics-port: -1")
        .contains("maybe")
        .contains("Try 'eraser manager --help' for its options.")
        .doesNotContain("Usage:");
  }

  @Test
  void anApiServerThatCannotBeUsedExitsWithOne() {
    // A mock server without expectations; under this prefix even /version is not found.
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.init();
    try {
      Config wrongPrefix =
          new ConfigBuilder(server.createClient().getConfiguration())
              .withMasterUrl(server.url("/nowhere/"))
              .build();
      CommandLine cli =
          new CommandLine(
              new ManagerCommand(
                  () -> new KubernetesClientBuilder().withConfig(wrongPrefix).build()));
      cli.setErr(new PrintWriter(err));

      assertThat(cli.execute("--leader-elect=false", "--health-port=0")).isEqualTo(1);
      assertThat(err.toString())
          .startsWith("eraser manager: cannot reach the Kubernetes API server at http")
          .contains("/nowhere/");
    } finally {
      server.destroy();
    }
  }

  @Test
  void leaderElectionIsOnUnlessSwitchedOff() {
    assertThat(parse().leaderElect).isTrue();
    assertThat(parse("--leader-elect").leaderElect).isTrue();
    assertThat(parse("--leader-elect=false").leaderElect).isFalse();
  }

  @Test
  void defaultsMatchTheChart() {
    ManagerCommand command = parse();

    assertThat(command.configFile).isNull();
    assertThat(command.healthAddress).isEqualTo("0.0.0.0");
    assertThat(command.logFormat).isEqualTo(LogFormat.JSON);
    assertThat(command.metricsAddress).isEqualTo("0.0.0.0");
    if (System.getenv("OTEL_SERVICE_NAME") == null) {
      assertThat(command.serviceName).isEqualTo("eraser-manager");
    }
    // The environment may set these two; without it they are the chart's names.
    if (System.getenv("ERASER_CONFIGMAP_NAME") == null) {
      assertThat(command.configMapName).isEqualTo("eraser-manager-config");
    }
    if (System.getenv("POD_NAMESPACE") == null) {
      assertThat(command.namespace).isEqualTo("eraser-system");
    }
  }

  private int runMain(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private static ManagerCommand parse(String... args) {
    ManagerCommand command = new ManagerCommand(() -> (KubernetesClient) null);
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void anApiServerThatRefusesConnectionsIsNamedWithTheReason() throws IOException {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Config nowhere =
        new ConfigBuilder()
            .withMasterUrl("https://127.0.0.1:" + closedPort)
            .withRequestTimeout(5_000)
            .withConnectionTimeout(5_000)
            .withRequestRetryBackoffLimit(0)
            .build();
    CommandLine cli =
        new CommandLine(
            new ManagerCommand(() -> new KubernetesClientBuilder().withConfig(nowhere).build()));
    cli.setErr(new PrintWriter(err));

    assertThat(cli.execute("--leader-elect=false", "--health-port=0")).isEqualTo(1);
    assertThat(err.toString())
        .startsWith(
            "eraser manager: cannot reach the Kubernetes API server at https://127.0.0.1:"
                + closedPort)
        .containsIgnoringCase("connect");
  }

  @Test
  void aStartFailureNamesTheReasonTheFrameworkBuriedInItsCauses() {
    var buried =
        new IllegalStateException(
            "No permission to lease resource. in namespace: eraser-system; missing required"
                + " verbs: [update]");
    var failure =
        new io.javaoperatorsdk.operator.OperatorException(
            "Error starting operator", new RuntimeException("wrapped", buried));

    assertThat(ManagerCommand.withRootCause(failure))
        .isEqualTo(
            "Error starting operator: No permission to lease resource. in namespace:"
                + " eraser-system; missing required verbs: [update]");
    assertThat(ManagerCommand.withRootCause(new IllegalStateException("plain"))).isEqualTo("plain");
  }
}
