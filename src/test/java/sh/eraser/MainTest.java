package sh.eraser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import sh.eraser.config.BuildInfo;

class MainTest {

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void badLogLevelIsAUsageErrorNamingTheValue() {
    assertThat(run("--log-level=loud", "remover", "--help")).isEqualTo(2);
    assertThat(err.toString()).contains("--log-level").contains("loud");
  }

  @Test
  void badDurationIsAUsageErrorNamingTheFlagAndValue() {
    assertThat(run("remover", "--cri-timeout=soon")).isEqualTo(2);
    assertThat(err.toString()).contains("--cri-timeout").contains("soon");
  }

  @Test
  void badEndpointAndNonPositiveTimeoutAreUsageErrors() {
    assertThat(run("remover", "--runtime-endpoint=tcp://127.0.0.1:1")).isEqualTo(2);
    assertThat(run("collector", "--cri-timeout=0s")).isEqualTo(2);
    assertThat(run("remover", "--cri-timeout=2562048h")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--runtime-endpoint")
        .contains("tcp://127.0.0.1:1")
        .contains("\"0s\" must be above zero")
        .contains("too long");
  }

  @Test
  void badConcurrencyIsAUsageError() {
    assertThat(run("remover", "--concurrency=0")).isEqualTo(2);
    assertThat(err.toString()).contains("--concurrency: 0");
  }

  @Test
  void unknownSubcommandOrFlagIsAUsageError() {
    assertThat(run("scrubber")).isEqualTo(2);
    assertThat(run("remover", "--imagelistt=x")).isEqualTo(2);
    assertThat(err.toString()).contains("--imagelistt");
  }

  @Test
  void aComponentStartsWithALogLineNamingItAndTheVersionButHelpDoesNot() {
    CommandLine cli = new CommandLine(new Main());

    assertThat(Main.startLine(cli.parseArgs("remover", "--dry-run")))
        .contains("eraser " + BuildInfo.version() + " remover");
    assertThat(
            Main.startLine(new CommandLine(new Main()).parseArgs("--log-level=debug", "manager")))
        .contains("eraser " + BuildInfo.version() + " manager");
    assertThat(Main.startLine(new CommandLine(new Main()).parseArgs("remover", "--version")))
        .isEmpty();
    assertThat(Main.startLine(new CommandLine(new Main()).parseArgs("--help"))).isEmpty();
    assertThat(BuildInfo.version()).isNotEqualTo("unknown");
  }
}
