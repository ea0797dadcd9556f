package sh.eraser.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads a YAML or JSON document into a tree, reporting syntax errors with their line. */
final class YamlTrees {

  // Decimals stay as written (1.10, not 1.1) so that messages quote what the user wrote.
  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private YamlTrees() {}

  /**
   * The document's tree, or a missing node when the document is empty.
   *
   * @throws IllegalArgumentException saying on which line the syntax breaks, and how
   */
  static JsonNode read(String text) {
    if (text == null || text.isBlank()) {
      return MissingNode.getInstance();
    }
    // JSON is YAML too, except that YAML refuses the tabs JSON is often indented with.
    if (text.strip().startsWith("{")) {
      try {
        return orMissing(JSON.readTree(text));
      } catch (JsonProcessingException e) {
        // Not JSON after all (a YAML flow mapping, or broken): YAML has the last word.
      }
    }
    try {
      return orMissing(YAML.readTree(text));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(describe(e), e);
    }
  }

  private static JsonNode orMissing(JsonNode tree) {
    return tree == null ? MissingNode.getInstance() : tree;
  }

  private static String describe(JsonProcessingException e) {
    int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    String problem = firstLine(e.getOriginalMessage());
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      // SnakeYAML says what it was parsing first and what went wrong second; keep the second.
      line = yaml.getProblemMark().getLine() + 1;
      problem = firstLine(yaml.getProblem());
    }
    return line < 1
        ? "not valid YAML: " + problem
        : "not valid YAML at line " + line + ": " + problem;
  }

  private static String firstLine(String message) {
    String text = message == null ? "syntax error" : message.strip();
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
