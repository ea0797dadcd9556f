package sh.eraser.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The controller-manager's configuration, whatever apiVersion it was written in: immutable and
 * complete, every omitted key holding its default.
 */
public record EraserConfig(Manager manager, Components components) {

  /** The image every component runs by default: one image holds them all. */
  public static final String DEFAULT_IMAGE_REPO = "ghcr.io/eraser-java/eraser";

  /** The label that marks nodes for the node filter, always among its selectors. */
  public static final String CLEANUP_FILTER_LABEL = "eraser.sh/cleanup.filter";

  /** The configuration with every key at its default, images tagged {@code imageTag}. */
  public static EraserConfig defaults(String imageTag) {
    Image image = new Image(DEFAULT_IMAGE_REPO, imageTag);
    return new EraserConfig(
        new Manager(
            RuntimeName.CONTAINERD.defaultRuntime(),
            "",
            "info",
            new Scheduling(Duration.ofHours(24), true),
            new Profile(false, 6060),
            new ImageJob(1.0, new Cleanup(Duration.ZERO, Duration.ofHours(24))),
            List.of(),
            "",
            Map.of(),
            new NodeFilter(
                NodeFilterType.EXCLUDE, List.of(LabelSelector.parse(CLEANUP_FILTER_LABEL)))),
        new Components(
            new WorkerComponent(
                false, image, new Resources("64Mi", "7m"), new Resources("500Mi", "0")),
            new ScannerComponent(
                false,
                image,
                new Resources("500Mi", "1000m"),
                new Resources("2Gi", "1500m"),
                "",
                List.of()),
            // The remover is a JVM here, not a Go binary: its limit follows the measured peak
            // RSS (docs/performance.md) with headroom, instead of the 30Mi a Go remover needs.
            new WorkerComponent(
                true, image, new Resources("64Mi", "7m"), new Resources("160Mi", "0"))));
  }

  /**
   * Settings of the controller-manager itself.
   *
   * @param otlpEndpoint {@code host:port} of an OpenTelemetry collector; empty disables metrics
   * @param logLevel debug, info, warn or error
   * @param pullSecrets names of image pull secrets for worker pods
   * @param priorityClassName priority class of worker pods; empty for none
   * @param additionalPodLabels labels copied onto every worker pod
   */
  public record Manager(
      ContainerRuntime runtime,
      String otlpEndpoint,
      String logLevel,
      Scheduling scheduling,
      Profile profile,
      ImageJob imageJob,
      List<String> pullSecrets,
      String priorityClassName,
      Map<String, String> additionalPodLabels,
      NodeFilter nodeFilter) {

    /** Copies the collections. */
    public Manager {
      pullSecrets = List.copyOf(pullSecrets);
      additionalPodLabels = Map.copyOf(additionalPodLabels);
    }
  }

  /** The container runtime on the nodes, and the address of its socket. */
  public record ContainerRuntime(RuntimeName name, String address) {}

  /** The container runtimes a configuration may name, with their usual socket. */
  public enum RuntimeName {
    CONTAINERD("containerd", "unix:///run/containerd/containerd.sock"),
    DOCKERSHIM("dockershim", "unix:///run/dockershim.sock"),
    CRIO("crio", "unix:///run/crio/crio.sock");

    private final String configName;
    private final String defaultAddress;

    RuntimeName(String configName, String defaultAddress) {
      this.configName = configName;
      this.defaultAddress = defaultAddress;
    }

    /** The name as written in the configuration. */
    public String configName() {
      return configName;
    }

    /** The runtime at its usual socket address. */
    public ContainerRuntime defaultRuntime() {
      return new ContainerRuntime(this, defaultAddress);
    }

    /** The runtime written as {@code name} in a configuration, if there is one. */
    public static Optional<RuntimeName> fromConfigName(String name) {
      return Arrays.stream(values()).filter(r -> r.configName.equals(name)).findFirst();
    }
  }

  /**
   * When scheduled jobs run.
   *
   * @param repeatInterval time between the starts of two scheduled jobs
   * @param beginImmediately whether the first job starts at once rather than after one interval
   */
  public record Scheduling(Duration repeatInterval, boolean beginImmediately) {}

  /** The profiling endpoint on {@code localhost:port}. */
  public record Profile(boolean enabled, int port) {}

  /**
   * How jobs are judged and cleaned up.
   *
   * @param successRatio the fraction of nodes, from 0 to 1, that must succeed for a job to succeed
   */
  public record ImageJob(double successRatio, Cleanup cleanup) {}

  /** How long a finished job and its pods are kept, by outcome. */
  public record Cleanup(Duration delayOnSuccess, Duration delayOnFailure) {}

  /**
   * Which nodes jobs run on. {@code selectors} always holds {@link #CLEANUP_FILTER_LABEL}.
   *
   * @param type whether a node matching any selector is excluded or included
   */
  public record NodeFilter(NodeFilterType type, List<LabelSelector> selectors) {

    /** Copies the selectors. */
    public NodeFilter {
      selectors = List.copyOf(selectors);
    }
  }

  /** Whether the node filter's selectors name the nodes to skip or the nodes to use. */
  public enum NodeFilterType {
    INCLUDE,
    EXCLUDE
  }

  /** The worker containers; the remover is always enabled. */
  public record Components(
      WorkerComponent collector, ScannerComponent scanner, WorkerComponent remover) {}

  /** What every worker container has: whether it runs, its image and its resources. */
  public interface Component {

    /** Whether the container runs at all. */
    boolean enabled();

    /** The container's image. */
    Image image();

    /** The container's resource requests. */
    Resources request();

    /** The container's resource limits; a quantity of {@code 0} means no limit. */
    Resources limit();
  }

  /** The collector or the remover container. */
  public record WorkerComponent(boolean enabled, Image image, Resources request, Resources limit)
      implements Component {}

  /**
   * The scanner container.
   *
   * @param config the scanner's own settings as a YAML document, passed on unchanged (see {@link
   *     ScannerConfig}); empty means the scanner's defaults
   * @param volumes extra pod volumes, as Kubernetes {@code Volume} objects
   */
  public record ScannerComponent(
      boolean enabled,
      Image image,
      Resources request,
      Resources limit,
      String config,
      List<JsonNode> volumes)
      implements Component {

    /** Copies the volumes so that nothing outside can change them. */
    public ScannerComponent {
      volumes = volumes.stream().<JsonNode>map(JsonNode::deepCopy).toList();
    }

    /** Copies of the volumes, which the caller may change freely. */
    @Override
    public List<JsonNode> volumes() {
      return volumes.stream().<JsonNode>map(JsonNode::deepCopy).toList();
    }
  }

  /** A container image, {@code repo:tag}. */
  public record Image(String repo, String tag) {

    /** The image reference a pod spec takes. */
    public String reference() {
      return repo + ":" + tag;
    }
  }

  /** Memory and CPU as Kubernetes quantities ({@code 25Mi}, {@code 7m}). */
  public record Resources(String mem, String cpu) {}
}
