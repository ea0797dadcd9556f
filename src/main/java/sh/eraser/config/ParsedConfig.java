package sh.eraser.config;

import java.util.List;

/**
 * A configuration read from a document, with the warnings (unknown or ignored keys) found on the
 * way.
 *
 * @param config the configuration, complete with defaults
 * @param warnings one line per key that was ignored, naming the key path
 */
public record ParsedConfig<T>(T config, List<String> warnings) {

  /** Copies the warnings so the result cannot change. */
  public ParsedConfig {
    warnings = List.copyOf(warnings);
  }
}
