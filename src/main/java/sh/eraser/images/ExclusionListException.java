package sh.eraser.images;

import java.nio.file.Path;
import java.util.Optional;

/** Signals that an exclusion ConfigMap cannot be read or does not hold a valid exclusion list. */
public class ExclusionListException extends RuntimeException {

  private final String configMap;
  private final String key;

  /** Creates the exception for one key of one ConfigMap; {@code problem} says what is wrong. */
  public ExclusionListException(String configMap, String key, String problem, Throwable cause) {
    super("exclusion ConfigMap \"" + configMap + "\", key \"" + key + "\": " + problem, cause);
    this.configMap = configMap;
    this.key = key;
  }

  private ExclusionListException(String message, String configMap, Throwable cause) {
    super(message, cause);
    this.configMap = configMap;
    this.key = null;
  }

  static ExclusionListException forConfigMap(String configMap, String problem, Throwable cause) {
    return new ExclusionListException(
        "exclusion ConfigMap \"" + configMap + "\": " + problem, configMap, cause);
  }

  static ExclusionListException forRoot(Path root, String problem, Throwable cause) {
    return new ExclusionListException("exclusion lists in " + root + ": " + problem, null, cause);
  }

  /** The name of the ConfigMap at fault, when the fault lies in one. */
  public Optional<String> configMap() {
    return Optional.ofNullable(configMap);
  }

  /** The key within the ConfigMap at fault, when the fault lies in one key. */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }
}
