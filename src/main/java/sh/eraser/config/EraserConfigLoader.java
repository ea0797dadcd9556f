package sh.eraser.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads an EraserConfig document (YAML or JSON, apiVersion {@code eraser.sh/v1alpha1} to {@code
 * v1alpha3}) into an {@link EraserConfig}: the document's values over that version's defaults,
 * every value checked.
 */
public final class EraserConfigLoader {

  /** The kind every EraserConfig document declares. */
  public static final String KIND = "EraserConfig";

  private static final String API_VERSIONS =
      Arrays.stream(ConfigVersion.values())
          .map(ConfigVersion::apiVersion)
          .collect(Collectors.joining(", "));

  private final String imageTag;

  /** A loader whose default images carry this build's version as their tag. */
  public EraserConfigLoader() {
    this(BuildInfo.version());
  }

  /** A loader whose default images carry {@code imageTag}. */
  public EraserConfigLoader(String imageTag) {
    this.imageTag = imageTag;
  }

  /** The configuration every key of a document falls back to. */
  public EraserConfig defaults() {
    return EraserConfig.defaults(imageTag);
  }

  /**
   * Reads a document. Present scalars replace defaults, present lists replace default lists,
   * present mappings merge into the defaults; unknown keys are ignored and reported as warnings.
   *
   * @throws InvalidConfigException naming the key path and the value of every problem found
   */
  public ParsedConfig<EraserConfig> load(String document) {
    JsonNode root = readDocument(document);
    ConfigVersion version = version(root);
    checkKind(root);

    Problems problems = new Problems();
    ConfigSection top = ConfigSection.root(root, "", problems);
    // apiVersion and kind are read above; the rest are placeholders the Helm chart ships.
    top.ignore("apiVersion", "kind", "health", "metrics", "webhook", "leaderElection");
    EraserConfig defaults = defaults();
    EraserConfig config =
        new EraserConfig(
            ManagerReader.read(top.section("manager"), version, defaults.manager()),
            ComponentsReader.read(top.section("components"), version, defaults.components()));

    problems.finish();
    return new ParsedConfig<>(config, problems.warnings());
  }

  private static JsonNode readDocument(String document) {
    JsonNode root;
    try {
      root = YamlTrees.read(document);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("the document is " + e.getMessage());
    }
    if (root.isMissingNode() || root.isNull()) {
      throw new InvalidConfigException("the document is empty");
    }
    if (!root.isObject()) {
      throw new InvalidConfigException("the document is not a mapping: " + Problems.show(root));
    }
    return root;
  }

  private static ConfigVersion version(JsonNode root) {
    JsonNode value = root.path("apiVersion");
    Optional<ConfigVersion> version =
        value.isTextual() ? ConfigVersion.of(value.textValue()) : Optional.empty();
    if (version.isPresent()) {
      return version.get();
    }
    String shown = value.isMissingNode() ? "missing" : Problems.show(value) + " is not supported";
    throw new InvalidConfigException("apiVersion: " + shown + " (expected " + API_VERSIONS + ")");
  }

  private static void checkKind(JsonNode root) {
    JsonNode value = root.path("kind");
    if (!value.isTextual() || !value.textValue().equals(KIND)) {
      String shown = value.isMissingNode() ? "missing" : Problems.show(value) + " is wrong";
      throw new InvalidConfigException("kind: " + shown + " (expected " + KIND + ")");
    }
  }
}
