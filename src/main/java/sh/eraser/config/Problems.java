package sh.eraser.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;

/** Collects the errors and warnings found while reading one configuration document. */
final class Problems {

  private static final int MAX_SHOWN = 80;

  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<ConfigSection> sections = new ArrayList<>();

  void reject(String path, JsonNode value, String reason) {
    reject(path, show(value) + " " + reason);
  }

  void reject(String path, String message) {
    errors.add(path + ": " + message);
  }

  void warn(String path, String message) {
    warnings.add(path + ": " + message);
  }

  void track(ConfigSection section) {
    sections.add(section);
  }

  /** Reports unknown keys as warnings, then throws if any error was found. */
  void finish() {
    sections.forEach(ConfigSection::reportUnknownKeys);
    sections.clear();
    if (!errors.isEmpty()) {
      throw new InvalidConfigException(errors);
    }
  }

  List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** A value as the user wrote it, in double quotes; structures as compact JSON. */
  static String show(JsonNode value) {
    String text =
        value.isContainerNode() ? value.toString() : TextNode.valueOf(text(value)).toString();
    return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "…";
  }

  /** A scalar's text; decimals as written, without an exponent. */
  static String text(JsonNode scalar) {
    return scalar.isBigDecimal() ? scalar.decimalValue().toPlainString() : scalar.asText();
  }

  static String show(String value) {
    return show(TextNode.valueOf(value));
  }
}
