package sh.eraser.images;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the exclusion ConfigMaps that the manager mounts into a worker pod, one per {@code
 * exclude-<configmap>} directory, into one {@link ExclusionList}.
 *
 * <p>Every key of every such ConfigMap must hold {@code {"excluded": ["<pattern>", ...]}}. Any
 * fault fails the whole load, so that a broken list never silently protects less than intended.
 */
public final class ExclusionLoader {

  private static final Logger log = LoggerFactory.getLogger(ExclusionLoader.class);

  static final String DIRECTORY_PREFIX = "exclude-";
  static final String EXCLUDED_FIELD = "excluded";

  // A ConfigMap volume holds its files in "..<timestamp>" directories behind a "..data" link and
  // exposes each key as a link into "..data"; the ".." entries are not keys.
  // https://kubernetes.io/docs/concepts/configuration/configmap/#mounted-configmaps-are-updated-automatically
  private static final String VOLUME_INTERNAL_PREFIX = "..";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ExclusionLoader() {}

  /**
   * Loads and merges every exclusion ConfigMap mounted under {@code root}; empty when {@code root}
   * does not exist or holds no {@code exclude-} directory.
   *
   * @throws ExclusionListException if any key cannot be read or is not a valid exclusion list
   */
  public static ExclusionList load(Path root) {
    if (Files.notExists(root)) {
      return ExclusionList.empty();
    }
    List<ExclusionList.Entry> entries = new ArrayList<>();
    for (Path directory : configMapDirectories(root)) {
      entries.addAll(readConfigMap(directory));
    }
    log.debug("Loaded {} exclusion patterns from {}", entries.size(), root);
    return ExclusionList.of(entries);
  }

  private static List<Path> configMapDirectories(Path root) {
    try (Stream<Path> children = Files.list(root)) {
      return children
          .filter(path -> name(path).startsWith(DIRECTORY_PREFIX) && Files.isDirectory(path))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw ExclusionListException.forRoot(root, "cannot list the directory: " + e, e);
    }
  }

  private static List<ExclusionList.Entry> readConfigMap(Path directory) {
    String configMap = name(directory).substring(DIRECTORY_PREFIX.length());
    List<ExclusionList.Entry> entries = new ArrayList<>();
    for (Path keyFile : keyFiles(configMap, directory)) {
      entries.addAll(readKey(configMap, name(keyFile), keyFile));
    }
    return entries;
  }

  private static List<Path> keyFiles(String configMap, Path directory) {
    try (Stream<Path> children = Files.list(directory)) {
      return children
          .filter(path -> !name(path).startsWith(VOLUME_INTERNAL_PREFIX))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw ExclusionListException.forConfigMap(configMap, "cannot list its keys: " + e, e);
    }
  }

  private static List<ExclusionList.Entry> readKey(String configMap, String key, Path file) {
    JsonNode excluded = parseJson(configMap, key, file).get(EXCLUDED_FIELD);
    if (excluded == null || !excluded.isArray()) {
      String found = excluded == null ? "nothing" : excluded.toString();
      throw new ExclusionListException(
          configMap,
          key,
          "\"" + EXCLUDED_FIELD + "\" must be an array of strings, found " + found,
          null);
    }
    List<ExclusionList.Entry> entries = new ArrayList<>();
    for (int i = 0; i < excluded.size(); i++) {
      ImageMatcher matcher = parsePattern(configMap, key, i, excluded.get(i));
      entries.add(new ExclusionList.Entry(matcher, configMap + "/" + key));
    }
    return entries;
  }

  private static JsonNode parseJson(String configMap, String key, Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new ExclusionListException(configMap, key, "invalid JSON" + describe(e), e);
    } catch (IOException e) {
      throw new ExclusionListException(configMap, key, "cannot be read: " + e, e);
    }
    if (root == null || !root.isObject()) {
      throw new ExclusionListException(
          configMap, key, "must hold a JSON object {\"excluded\": [...]}", null);
    }
    return root;
  }

  private static ImageMatcher parsePattern(String configMap, String key, int index, JsonNode node) {
    String field = EXCLUDED_FIELD + "[" + index + "]";
    if (!node.isTextual()) {
      throw new ExclusionListException(
          configMap, key, field + " must be a string, not " + node, null);
    }
    try {
      return ImageMatcher.parse(node.textValue());
    } catch (InvalidImageReferenceException e) {
      throw new ExclusionListException(configMap, key, field + ": " + e.getMessage(), e);
    }
  }

  private static String describe(JsonProcessingException e) {
    JsonLocation location = e.getLocation();
    String where =
        location == null
            ? ""
            : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    return where + ": " + e.getOriginalMessage();
  }

  private static String name(Path path) {
    return path.getFileName().toString();
  }
}
