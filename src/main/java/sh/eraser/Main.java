package sh.eraser;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.PrintWriter;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import sh.eraser.config.BuildInfo;
import sh.eraser.manager.ManagerCommand;
import sh.eraser.worker.CollectorCommand;
import sh.eraser.worker.RemoverCommand;
import sh.eraser.worker.ScannerCommand;

/** The {@code eraser} program: one image for every component, chosen by the first argument. */
@Command(
    name = "eraser",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Removes unused and vulnerable container images from Kubernetes nodes.",
    subcommands = {
      ManagerCommand.class,
      CollectorCommand.class,
      RemoverCommand.class,
      ScannerCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @Spec CommandSpec spec;

  @Option(
      names = "--log-level",
      scope = ScopeType.INHERIT,
      defaultValue = "info",
      description = "debug, info, warn or error (default: ${DEFAULT-VALUE}).")
  void setLogLevel(String level) {
    if (!level.matches("(?i)debug|info|warn|error")) {
      throw new ParameterException(
          spec.commandLine(),
          "--log-level: \"" + level + "\" is not one of debug, info, warn, error");
    }
    Level parsed = Level.toLevel(level);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(parsed);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    // Netty keeps a non-daemon thread alive for a second after the channel closes.
    System.exit(code);
  }

  /** The command line as {@link #main} runs it. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    // Subcommands answer --version too, and long defaults are not wrapped mid-path.
    cli.getSubcommands()
        .values()
        .forEach(sub -> sub.getCommandSpec().versionProvider(new Version()));
    cli.setUsageHelpWidth(120);
    cli.setExecutionStrategy(
        parsed -> {
          startLine(parsed).ifPresent(line -> log.info(line));
          return new CommandLine.RunLast().execute(parsed);
        });
    cli.setParameterExceptionHandler(Main::badInput);
    return cli;
  }

  /** A bad option: its message and where to read about the options, not the whole usage. */
  private static int badInput(ParameterException e, String[] args) {
    CommandLine failed = e.getCommandLine();
    PrintWriter err = failed.getErr();
    err.println(e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for its options.");
    err.flush();
    return failed.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * The first log line of a component that is about to run, naming it and the version baked in, so
   * that every component's log says which build wrote it; empty for help and version requests.
   */
  static Optional<String> startLine(ParseResult parsed) {
    ParseResult component = parsed.subcommand();
    if (component == null
        || parsed.isUsageHelpRequested()
        || component.isUsageHelpRequested()
        || component.isVersionHelpRequested()
        || component.commandSpec().name().equals("help")) {
      return Optional.empty();
    }
    return Optional.of("eraser " + BuildInfo.version() + " " + component.commandSpec().name());
  }

  /** Reports the version baked in at build time. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"eraser " + BuildInfo.version()};
    }
  }
}
