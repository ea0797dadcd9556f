package sh.eraser.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The vulnerability scanner's settings: the YAML document held as a string at {@code
 * components.scanner.config}, with the Trivy scanner's keys and defaults.
 *
 * @param cacheDir where the vulnerability database is kept during a run
 * @param dbRepo where the OSV database comes from: an {@code https://} base URL or a {@code
 *     file://} directory
 * @param deleteFailedImages whether an image whose scan failed is removed
 * @param deleteEolImages whether an image whose operating system is end-of-life is removed
 */
public record ScannerConfig(
    String cacheDir,
    String dbRepo,
    boolean deleteFailedImages,
    boolean deleteEolImages,
    Vulnerabilities vulnerabilities,
    Timeout timeout) {

  /** The key path of the scanner's settings in an EraserConfig document. */
  public static final String KEY_PATH = "components.scanner.config";

  /** The public OSV database, one zip archive per ecosystem below this base URL. */
  public static final String DEFAULT_DB_REPO = "https://osv-vulnerabilities.storage.googleapis.com";

  /** The scanner's settings when its document is empty. */
  public static final ScannerConfig DEFAULTS =
      new ScannerConfig(
          "/var/lib/trivy",
          DEFAULT_DB_REPO,
          true,
          true,
          new Vulnerabilities(
              false,
              List.of("os", "library"),
              List.of("vuln"),
              EnumSet.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW),
              List.of()),
          new Timeout(Duration.ofHours(23), Duration.ofHours(1)));

  /**
   * Reads the scanner's document; keys it omits keep their defaults, present lists replace the
   * default list.
   *
   * @throws InvalidConfigException naming the key path below {@value #KEY_PATH} and the value
   */
  public static ParsedConfig<ScannerConfig> parse(String yaml) {
    Problems problems = new Problems();
    ScannerConfig config = read(yaml, KEY_PATH, problems);
    problems.finish();
    return new ParsedConfig<>(config, problems.warnings());
  }

  /** Reads the document, reporting problems under {@code path} and carrying on past them. */
  static ScannerConfig read(String yaml, String path, Problems problems) {
    JsonNode tree;
    try {
      tree = YamlTrees.read(yaml);
    } catch (IllegalArgumentException e) {
      problems.reject(path, "the embedded document is " + e.getMessage());
      return DEFAULTS;
    }
    ConfigSection root = ConfigSection.root(tree, path, problems);
    // The scanner learns the runtime from its environment, whatever this key says.
    root.ignore("runtime");
    return new ScannerConfig(
        root.string("cacheDir", DEFAULTS.cacheDir()),
        root.scalar("dbRepo", DEFAULTS.dbRepo(), "URL", ScannerConfig::checkDbRepo),
        root.bool("deleteFailedImages", DEFAULTS.deleteFailedImages()),
        root.bool("deleteEOLImages", DEFAULTS.deleteEolImages()),
        vulnerabilities(root.section("vulnerabilities")),
        timeout(root.section("timeout")));
  }

  private static Vulnerabilities vulnerabilities(ConfigSection section) {
    Vulnerabilities fallback = DEFAULTS.vulnerabilities();
    return new Vulnerabilities(
        section.bool("ignoreUnfixed", fallback.ignoreUnfixed()),
        section.strings("types", fallback.types()),
        section.strings("securityChecks", fallback.securityChecks()),
        severities(section, fallback.severities()),
        section.strings("ignoredStatuses", fallback.ignoredStatuses()));
  }

  private static Set<Severity> severities(ConfigSection section, Set<Severity> fallback) {
    List<String> names = section.strings("severities", null);
    if (names == null) {
      return fallback;
    }
    Set<Severity> severities = EnumSet.noneOf(Severity.class);
    for (int i = 0; i < names.size(); i++) {
      try {
        severities.add(Severity.valueOf(names.get(i).toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        section.reject(
            "severities[" + i + "]",
            Problems.show(names.get(i))
                + " is not a severity (expected CRITICAL, HIGH, MEDIUM, LOW or UNKNOWN)");
      }
    }
    return severities;
  }

  private static Timeout timeout(ConfigSection section) {
    Timeout fallback = DEFAULTS.timeout();
    return new Timeout(
        section.duration("total", fallback.total(), false),
        section.duration("perImage", fallback.perImage(), false));
  }

  private static String checkDbRepo(String text) {
    try {
      URI uri = new URI(text);
      boolean https = "https".equals(uri.getScheme()) && uri.getHost() != null;
      boolean file = "file".equals(uri.getScheme()) && uri.getPath() != null;
      if (https || file) {
        return text;
      }
    } catch (URISyntaxException e) {
      // Reported below like any other unusable text.
    }
    throw new IllegalArgumentException(
        Problems.show(text) + " is not an https:// URL or a file:// directory of an OSV database");
  }

  /**
   * Which findings make an image vulnerable.
   *
   * @param ignoreUnfixed whether vulnerabilities without a fixed version are ignored
   * @param types package types scanned: {@code os}, {@code library}
   * @param securityChecks kinds of checks run: {@code vuln}
   * @param severities severities that make an image vulnerable
   * @param ignoredStatuses vulnerability statuses ignored, such as {@code will_not_fix}
   */
  public record Vulnerabilities(
      boolean ignoreUnfixed,
      List<String> types,
      List<String> securityChecks,
      Set<Severity> severities,
      List<String> ignoredStatuses) {

    /** Copies the collections. */
    public Vulnerabilities {
      types = List.copyOf(types);
      securityChecks = List.copyOf(securityChecks);
      EnumSet<Severity> copy = EnumSet.noneOf(Severity.class);
      copy.addAll(severities);
      severities = Collections.unmodifiableSet(copy);
      ignoredStatuses = List.copyOf(ignoredStatuses);
    }
  }

  /**
   * How long scanning may take.
   *
   * @param total the budget of a whole run, checked between images
   * @param perImage the budget of one image
   */
  public record Timeout(Duration total, Duration perImage) {}

  /** The severities a vulnerability may have. */
  public enum Severity {
    CRITICAL,
    HIGH,
    MEDIUM,
    LOW,
    UNKNOWN
  }
}
