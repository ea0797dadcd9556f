package sh.eraser.manager;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.javaoperatorsdk.operator.OperatorException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import sh.eraser.config.EraserConfig;
import sh.eraser.config.EraserConfigLoader;
import sh.eraser.config.InvalidConfigException;
import sh.eraser.config.ParsedConfig;
import sh.eraser.metrics.ManagerMetrics;

/**
 * The {@code manager} command: the controller-manager that reads the EraserConfig, reconciles
 * ImageLists and answers the kubelet's probes until it is told to stop (SIGTERM).
 */
@Command(
    name = "manager",
    mixinStandardHelpOptions = true,
    description = "Run the controller-manager.")
public final class ManagerCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(ManagerCommand.class);

  /** Wrappers whose type alone says nothing about what went wrong. */
  private static final Set<Class<?>> GENERIC_CAUSES =
      Set.of(
          Exception.class,
          RuntimeException.class,
          java.io.IOException.class,
          UncheckedIOException.class,
          java.util.concurrent.ExecutionException.class,
          java.util.concurrent.CompletionException.class);

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "EraserConfig file, read once at start. Without it the manager follows the ConfigMap"
              + " named by --configmap.")
  Path configFile;

  @Option(
      names = "--configmap",
      paramLabel = "NAME",
      defaultValue = "${env:ERASER_CONFIGMAP_NAME:-" + ConfigSource.DEFAULT_CONFIGMAP_NAME + "}",
      description =
          "ConfigMap holding the EraserConfig under key "
              + ConfigSource.CONFIG_KEY
              + " (default: $ERASER_CONFIGMAP_NAME, else "
              + ConfigSource.DEFAULT_CONFIGMAP_NAME
              + ").")
  String configMapName;

  @Option(
      names = "--namespace",
      paramLabel = "NAMESPACE",
      defaultValue = "${env:POD_NAMESPACE:-" + ManagerSettings.DEFAULT_NAMESPACE + "}",
      description =
          "The manager's namespace, where its ConfigMap and Lease are (default: $POD_NAMESPACE,"
              + " else "
              + ManagerSettings.DEFAULT_NAMESPACE
              + ").")
  String namespace;

  @Option(
      names = "--pod-name",
      paramLabel = "NAME",
      defaultValue = "${env:POD_NAME}",
      description =
          "The manager's own pod, through which its Deployment is found to own the runs' pods"
              + " (default: $POD_NAME).")
  String podName;

  @Option(
      names = "--health-port",
      paramLabel = "PORT",
      defaultValue = "" + HealthServer.DEFAULT_PORT,
      description =
          "Port of /healthz and /readyz, 0 for any free port (default: ${DEFAULT-VALUE}).")
  void setHealthPort(int port) {
    healthPort = checkedPort("--health-port", port);
  }

  private int healthPort;

  @Option(
      names = "--health-bind-address",
      paramLabel = "ADDRESS",
      defaultValue = "0.0.0.0",
      description = "Address the probe endpoints listen on (default: ${DEFAULT-VALUE}).")
  String healthAddress;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      defaultValue = "" + ManagerMetrics.DEFAULT_PORT,
      description =
          "Port of /metrics for Prometheus, 0 for any free port (default: ${DEFAULT-VALUE}).")
  void setMetricsPort(int port) {
    metricsPort = checkedPort("--metrics-port", port);
  }

  private int metricsPort;

  private int checkedPort(String option, int port) {
    if (port < 0 || port > 65535) {
      throw new ParameterException(
          spec.commandLine(), option + ": " + port + " is not between 0 and 65535");
    }
    return port;
  }

  @Option(
      names = "--metrics-bind-address",
      paramLabel = "ADDRESS",
      defaultValue = "0.0.0.0",
      description = "Address /metrics listens on (default: ${DEFAULT-VALUE}).")
  String metricsAddress;

  @Option(
      names = "--otel-service-name",
      paramLabel = "NAME",
      defaultValue = "${env:OTEL_SERVICE_NAME:-" + ManagerMetrics.DEFAULT_SERVICE_NAME + "}",
      description =
          "service.name of the OTLP metrics pushed to manager.otlpEndpoint (default:"
              + " $OTEL_SERVICE_NAME, else "
              + ManagerMetrics.DEFAULT_SERVICE_NAME
              + ").")
  String serviceName;

  @Option(
      names = "--leader-elect",
      paramLabel = "BOOLEAN",
      arity = "0..1",
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Reconcile only while holding the Lease "
              + ManagerSettings.LEASE_NAME
              + " in the manager's namespace (default: ${DEFAULT-VALUE}).")
  boolean leaderElect;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "json",
      converter = LogFormatConverter.class,
      description = "json (one object per line) or text (default: ${DEFAULT-VALUE}).")
  LogFormat logFormat;

  private final Supplier<KubernetesClient> clients;

  /** The command as the entry point runs it: the client comes from the environment. */
  public ManagerCommand() {
    this(() -> new KubernetesClientBuilder().build());
  }

  /** The command with another source of clients, such as a test's mock API server. */
  ManagerCommand(Supplier<KubernetesClient> clients) {
    this.clients = clients;
  }

  /** Runs until SIGTERM; returns 1 when the manager cannot start. */
  @Override
  public Integer call() throws InterruptedException {
    logFormat.install();
    try {
      EraserConfig fromFile = configFile == null ? null : readConfigFile(configFile);
      try (KubernetesClient client = connect()) {
        ConfigSource config =
            fromFile != null
                ? ConfigSource.fixed(fromFile)
                : ConfigSource.watching(client, namespace, configMapName, new EraserConfigLoader());
        return run(new ManagerRuntime(settings(), client, config));
      }
    } catch (CannotStart e) {
      return fail(e);
    }
  }

  private int run(ManagerRuntime runtime) throws InterruptedException {
    try {
      runtime.start();
    } catch (InvalidConfigException e) {
      runtime.close();
      throw new CannotStart(e.getMessage(), null);
    } catch (KubernetesClientException | OperatorException | UncheckedIOException e) {
      runtime.close();
      throw new CannotStart(withRootCause(e), e);
    }
    // SIGTERM runs the hook; the hook ends the wait below.
    Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "manager-shutdown"));
    runtime.awaitStop();
    return 0;
  }

  /**
   * The failure's message followed by that of its innermost cause, which is where the operator
   * framework keeps the reason ("No permission to lease resource …", "… Not Found"). When no cause
   * has a message, as when the HTTP client cannot connect, the first cause of a specific type is
   * named instead ("java.net.ConnectException").
   */
  static String withRootCause(Throwable failure) {
    List<Throwable> causes = new ArrayList<>();
    for (Throwable cause = failure.getCause();
        cause != null && !causes.contains(cause) && causes.size() < 20;
        cause = cause.getCause()) {
      causes.add(cause);
    }
    String reason = null;
    for (Throwable cause : causes) {
      if (cause.getMessage() != null) {
        reason = cause.getMessage();
      }
    }
    if (reason == null) {
      reason =
          causes.stream()
              .map(cause -> cause.getClass())
              .filter(type -> !GENERIC_CAUSES.contains(type))
              .map(Class::getName)
              .findFirst()
              .orElse(null);
    }
    String message = String.valueOf(failure.getMessage());
    return reason == null || message.contains(reason) ? message : message + ": " + reason;
  }

  private ManagerSettings settings() {
    return new ManagerSettings(
        namespace,
        new InetSocketAddress(healthAddress, healthPort),
        leaderElect,
        podName,
        new InetSocketAddress(metricsAddress, metricsPort),
        serviceName);
  }

  private static EraserConfig readConfigFile(Path file) {
    String document;
    try {
      document = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CannotStart("--config " + file + ": no such file", null);
    } catch (IOException e) {
      throw new CannotStart("--config " + file + ": cannot read it: " + e, null);
    }
    try {
      ParsedConfig<EraserConfig> parsed = new EraserConfigLoader().load(document);
      parsed.warnings().forEach(warning -> log.warn("configuration: {}", warning));
      return parsed.config();
    } catch (InvalidConfigException e) {
      throw new CannotStart("--config " + file + ": " + e.getMessage(), null);
    }
  }

  /**
   * A client from the environment that has answered the API server's version, so that a wrong
   * address or credentials fail here and plainly rather than in the first informer.
   */
  private KubernetesClient connect() {
    KubernetesClient client;
    try {
      client = clients.get();
    } catch (KubernetesClientException e) {
      throw new CannotStart("cannot configure the Kubernetes client: " + e.getMessage(), e);
    }
    String where = "cannot reach the Kubernetes API server at " + client.getMasterUrl() + ": ";
    try {
      VersionInfo version = client.getKubernetesVersion();
      if (version != null) {
        log.info("API server {} at {}", version.getGitVersion(), client.getMasterUrl());
        return client;
      }
      client.close();
      throw new CannotStart(where + "it does not answer /version as an API server does", null);
    } catch (KubernetesClientException e) {
      client.close();
      throw new CannotStart(where + withRootCause(e), e);
    }
  }

  /**
   * Reports why the manager cannot start and returns the exit code. Bad input is reported by its
   * message alone; anything else also goes to the log with its stack.
   */
  private int fail(CannotStart failure) {
    if (failure.getCause() != null) {
      log.error("manager cannot start: {}", failure.getMessage(), failure.getCause());
    }
    // One plain line for a person running the command by hand.
    PrintWriter err = spec.commandLine().getErr();
    err.println("eraser manager: " + failure.getMessage());
    err.flush();
    return 1;
  }

  /** Why the manager cannot start; the cause is null when the message says everything. */
  private static final class CannotStart extends RuntimeException {
    CannotStart(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Reads {@code --log-format} case-insensitively and names the choices when it is wrong. */
  static final class LogFormatConverter implements ITypeConverter<LogFormat> {
    @Override
    public LogFormat convert(String value) {
      for (LogFormat format : LogFormat.values()) {
        if (format.name().equalsIgnoreCase(value)) {
          return format;
        }
      }
      throw new TypeConversionException("\"" + value + "\" is not one of json, text");
    }
  }
}
