package sh.eraser.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import sh.eraser.config.EraserConfig.Cleanup;
import sh.eraser.config.EraserConfig.ContainerRuntime;
import sh.eraser.config.EraserConfig.ImageJob;
import sh.eraser.config.EraserConfig.Manager;
import sh.eraser.config.EraserConfig.NodeFilter;
import sh.eraser.config.EraserConfig.NodeFilterType;
import sh.eraser.config.EraserConfig.Profile;
import sh.eraser.config.EraserConfig.RuntimeName;
import sh.eraser.config.EraserConfig.Scheduling;

/** Reads the {@code manager} section of an EraserConfig document over its defaults. */
final class ManagerReader {

  private static final String RUNTIME_NAMES = "containerd, dockershim or crio";
  private static final Pattern UNIX_SOCKET = Pattern.compile("unix://(/[^\\s?#]*[^\\s?#/])");
  private static final Pattern LOG_LEVEL = Pattern.compile("debug|info|warn|error");
  private static final LabelSelector CLEANUP_FILTER =
      LabelSelector.parse(EraserConfig.CLEANUP_FILTER_LABEL);

  private ManagerReader() {}

  static Manager read(ConfigSection manager, ConfigVersion version, Manager defaults) {
    return new Manager(
        version.runtimeIsObject()
            ? runtimeObject(manager, defaults.runtime())
            : runtimeName(manager, defaults.runtime()),
        manager.string("otlpEndpoint", defaults.otlpEndpoint()),
        logLevel(manager, defaults.logLevel()),
        scheduling(manager.section("scheduling"), defaults.scheduling()),
        profile(manager.section("profile"), defaults.profile()),
        imageJob(manager.section("imageJob"), defaults.imageJob()),
        manager.strings("pullSecrets", defaults.pullSecrets()),
        manager.string("priorityClassName", defaults.priorityClassName()),
        // Older apiVersions leave additionalPodLabels unread, so it is reported as unknown.
        version.hasAdditionalPodLabels()
            ? podLabels(manager, defaults.additionalPodLabels())
            : defaults.additionalPodLabels(),
        nodeFilter(manager.section("nodeFilter"), defaults.nodeFilter()));
  }

  /** v1alpha1 and v1alpha2: {@code runtime: crio}, meaning that runtime at its usual socket. */
  private static ContainerRuntime runtimeName(ConfigSection manager, ContainerRuntime fallback) {
    JsonNode value = manager.value("runtime");
    if (value == null || value.isTextual() && value.textValue().isEmpty()) {
      return fallback;
    }
    Optional<RuntimeName> name =
        value.isTextual() ? RuntimeName.fromConfigName(value.textValue()) : Optional.empty();
    if (name.isEmpty()) {
      String hint = value.isObject() ? "; {name, address} needs apiVersion eraser.sh/v1alpha3" : "";
      manager.reject("runtime", value, "is not a runtime (expected " + RUNTIME_NAMES + hint + ")");
      return fallback;
    }
    return name.get().defaultRuntime();
  }

  /** v1alpha3: {@code runtime: {name, address}}; the address defaults to the runtime's own. */
  private static ContainerRuntime runtimeObject(ConfigSection manager, ContainerRuntime fallback) {
    JsonNode plain = manager.value("runtime");
    if (plain != null && plain.isTextual()) {
      manager.reject("runtime", plain, "is not a mapping (write {name: " + plain.asText() + "})");
      return fallback;
    }
    ConfigSection runtime = manager.section("runtime");
    String name = runtime.string("name", "");
    String address = runtime.string("address", "");
    if (name.isEmpty()) {
      if (!address.isEmpty()) {
        runtime.reject("address", runtime.value("address"), "is given without a runtime name");
      }
      return fallback;
    }
    Optional<RuntimeName> known = RuntimeName.fromConfigName(name);
    if (known.isEmpty()) {
      runtime.reject(
          "name", runtime.value("name"), "is not a runtime (expected " + RUNTIME_NAMES + ")");
      return fallback;
    }
    if (address.isEmpty()) {
      return known.get().defaultRuntime();
    }
    if (!UNIX_SOCKET.matcher(address).matches()) {
      runtime.reject(
          "address",
          runtime.value("address"),
          "is not a Unix socket address (expected unix:///path/to/socket: "
              + "workers reach the runtime through its socket on the node)");
      return fallback;
    }
    return new ContainerRuntime(known.get(), address);
  }

  private static String logLevel(ConfigSection manager, String fallback) {
    String level = manager.string("logLevel", fallback).toLowerCase(Locale.ROOT);
    if (!LOG_LEVEL.matcher(level).matches()) {
      manager.reject(
          "logLevel",
          manager.value("logLevel"),
          "is not a log level (expected debug, info, warn or error)");
      return fallback;
    }
    return level;
  }

  private static Scheduling scheduling(ConfigSection scheduling, Scheduling fallback) {
    return new Scheduling(
        scheduling.duration("repeatInterval", fallback.repeatInterval(), false),
        scheduling.bool("beginImmediately", fallback.beginImmediately()));
  }

  private static Profile profile(ConfigSection profile, Profile fallback) {
    int port = profile.integer("port", fallback.port());
    if (port < 1 || port > 65535) {
      profile.reject("port", profile.value("port"), "is not a port (expected 1 to 65535)");
      port = fallback.port();
    }
    return new Profile(profile.bool("enabled", fallback.enabled()), port);
  }

  private static ImageJob imageJob(ConfigSection imageJob, ImageJob fallback) {
    double ratio = imageJob.number("successRatio", fallback.successRatio());
    if (!(ratio >= 0 && ratio <= 1)) {
      imageJob.reject(
          "successRatio", imageJob.value("successRatio"), "is not a ratio (expected 0 to 1)");
      ratio = fallback.successRatio();
    }
    ConfigSection cleanup = imageJob.section("cleanup");
    Cleanup delays =
        new Cleanup(
            cleanup.duration("delayOnSuccess", fallback.cleanup().delayOnSuccess(), true),
            cleanup.duration("delayOnFailure", fallback.cleanup().delayOnFailure(), true));
    return new ImageJob(ratio, delays);
  }

  private static Map<String, String> podLabels(
      ConfigSection manager, Map<String, String> fallback) {
    Map<String, String> labels = manager.stringMap("additionalPodLabels", fallback);
    labels.forEach(
        (key, value) -> {
          try {
            LabelSyntax.checkKey(key);
            LabelSyntax.checkValue(value);
          } catch (IllegalArgumentException e) {
            manager.reject(manager.mapKey("additionalPodLabels", key), e.getMessage());
          }
        });
    return labels;
  }

  private static NodeFilter nodeFilter(ConfigSection filter, NodeFilter fallback) {
    NodeFilterType type =
        filter.scalar("type", fallback.type(), "filter type", ManagerReader::filterType);
    List<String> texts = filter.strings("selectors", null);
    if (texts == null) {
      return new NodeFilter(type, fallback.selectors());
    }
    List<LabelSelector> selectors = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      try {
        selectors.add(LabelSelector.parse(texts.get(i)));
      } catch (IllegalArgumentException e) {
        filter.reject("selectors[" + i + "]", e.getMessage());
      }
    }
    if (!selectors.contains(CLEANUP_FILTER)) {
      selectors.add(CLEANUP_FILTER);
    }
    return new NodeFilter(type, selectors);
  }

  private static NodeFilterType filterType(String text) {
    return switch (text) {
      case "include" -> NodeFilterType.INCLUDE;
      case "exclude" -> NodeFilterType.EXCLUDE;
      default ->
          throw new IllegalArgumentException(
              Problems.show(text) + " is not a filter type (expected include or exclude)");
    };
  }
}
