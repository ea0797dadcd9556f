package sh.eraser.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One mapping of a configuration document, read key by key under its key path: a present value
 * replaces the default, an absent or null one keeps it, and a value of the wrong type is reported
 * and replaced by the default so that reading goes on and finds every problem.
 */
final class ConfigSection {

  private final JsonNode node;
  private final String path;
  private final Problems problems;
  private final Set<String> known = new HashSet<>();

  private ConfigSection(JsonNode node, String path, Problems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    problems.track(this);
  }

  /** The top of a document whose keys sit under {@code path} ("" for the document root). */
  static ConfigSection root(JsonNode node, String path, Problems problems) {
    boolean absent = node == null || node.isMissingNode() || node.isNull();
    if (!absent && !node.isObject()) {
      problems.reject(path, node, "is not a mapping");
    }
    return new ConfigSection(absent || !node.isObject() ? null : node, path, problems);
  }

  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The value under {@code key}, or null when the key is absent or null. */
  JsonNode value(String key) {
    known.add(key);
    JsonNode value = node == null ? null : node.get(key);
    return value == null || value.isNull() ? null : value;
  }

  /** Marks keys as known so that they are not reported, without reading them. */
  void ignore(String... keys) {
    known.addAll(List.of(keys));
  }

  void reject(String key, JsonNode value, String reason) {
    problems.reject(path(key), value, reason);
  }

  void reject(String key, String message) {
    problems.reject(path(key), message);
  }

  void warn(String key, String message) {
    problems.warn(path(key), message);
  }

  Problems problems() {
    return problems;
  }

  ConfigSection section(String key) {
    JsonNode value = value(key);
    if (value != null && !value.isObject()) {
      reject(key, value, "is not a mapping");
      value = null;
    }
    return new ConfigSection(value, path(key), problems);
  }

  /**
   * The value at {@code key} read by {@code read} when {@code accepted}; the fallback when it is
   * absent, and the fallback with a problem recorded when it is of the wrong type.
   */
  private <T> T typed(
      String key,
      T fallback,
      Predicate<JsonNode> accepted,
      Function<JsonNode, String> problem,
      Function<JsonNode, T> read) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    if (!accepted.test(value)) {
      reject(key, value, problem.apply(value));
      return fallback;
    }
    return read.apply(value);
  }

  String string(String key, String fallback) {
    return typed(
        key,
        fallback,
        JsonNode::isTextual,
        v -> "is not a string" + (v.isValueNode() ? " (quote it)" : ""),
        JsonNode::textValue);
  }

  boolean bool(String key, boolean fallback) {
    return typed(
        key,
        fallback,
        JsonNode::isBoolean,
        v -> "is not a boolean (expected true or false)",
        JsonNode::booleanValue);
  }

  int integer(String key, int fallback) {
    return typed(
        key,
        fallback,
        v -> v.isIntegralNumber() && v.canConvertToInt(),
        v -> "is not an integer",
        JsonNode::intValue);
  }

  double number(String key, double fallback) {
    return typed(key, fallback, JsonNode::isNumber, v -> "is not a number", JsonNode::doubleValue);
  }

  /** A Go duration; {@code zeroAllowed} false means it must be greater than zero. */
  Duration duration(String key, Duration fallback, boolean zeroAllowed) {
    JsonNode value = value(key);
    Duration duration = scalar(key, fallback, "duration", GoDuration::parse);
    if (duration.isNegative() || (duration.isZero() && !zeroAllowed)) {
      String expected = zeroAllowed ? "0s or more" : "more than 0s";
      reject(key, value, "is not allowed (expected a duration of " + expected + ")");
      return fallback;
    }
    return duration;
  }

  /**
   * A scalar (string or number) turned into a value by {@code parser}, whose {@link
   * IllegalArgumentException} message starts with the quoted value.
   */
  <T> T scalar(String key, T fallback, String noun, Function<String, T> parser) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isTextual() && !value.isNumber()) {
      reject(key, value, "is not a " + noun);
      return fallback;
    }
    try {
      return parser.apply(Problems.text(value));
    } catch (IllegalArgumentException e) {
      reject(key, e.getMessage());
      return fallback;
    }
  }

  /** A list of strings; a present list replaces the default list as a whole. */
  List<String> strings(String key, List<String> fallback) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isArray()) {
      reject(key, value, "is not a list");
      return fallback;
    }
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (item.isTextual()) {
        strings.add(item.textValue());
      } else {
        reject(key + "[" + i + "]", item, "is not a string");
      }
    }
    return strings;
  }

  /** A list of anything, element by element; a present list replaces the default list. */
  List<JsonNode> list(String key, List<JsonNode> fallback) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isArray()) {
      reject(key, value, "is not a list");
      return fallback;
    }
    List<JsonNode> items = new ArrayList<>();
    value.forEach(items::add);
    return items;
  }

  /** A map of strings; its entries are merged into the default map. */
  Map<String, String> stringMap(String key, Map<String, String> fallback) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isObject()) {
      reject(key, value, "is not a mapping");
      return fallback;
    }
    Map<String, String> merged = new LinkedHashMap<>(fallback);
    value
        .properties()
        .forEach(
            entry -> {
              if (entry.getValue().isTextual()) {
                merged.put(entry.getKey(), entry.getValue().textValue());
              } else {
                reject(mapKey(key, entry.getKey()), entry.getValue(), "is not a string (quote it)");
              }
            });
    return merged;
  }

  /** The path of an entry in a user-defined map: {@code a.b["example.com/team"]}. */
  String mapKey(String key, String entry) {
    return key + "[" + Problems.show(entry) + "]";
  }

  void reportUnknownKeys() {
    if (node == null) {
      return;
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (!known.contains(entry.getKey())) {
        problems.warn(path(entry.getKey()), "unknown key, ignored");
      }
    }
  }
}
