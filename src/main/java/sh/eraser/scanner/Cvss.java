package sh.eraser.scanner;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import sh.eraser.config.ScannerConfig.Severity;

/**
 * Base scores of CVSS v3.x and v2 vectors, and the severity band of a score, as the CVSS
 * specifications define them.
 */
final class Cvss {

  private Cvss() {}

  /** The severity of a vector, or empty when the vector cannot be scored. */
  static Optional<Severity> severity(String vector) {
    try {
      if (vector.startsWith("CVSS:3.")) {
        return Optional.of(bandV3(scoreV3(vector)));
      }
      if (vector.startsWith("CVSS:4.")) {
        // Limitation: CVSS v4 vectors are not scored (the v4 formula rests on a large table
        // of expert-ranked metric combinations); a record with only a v4 vector falls through
        // to UNKNOWN.
        return Optional.empty();
      }
      if (vector.contains("AV:") && vector.contains("Au:")) {
        double score = scoreV2(vector);
        return Optional.of(
            score >= 7 ? Severity.HIGH : score >= 4 ? Severity.MEDIUM : Severity.LOW);
      }
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  static Severity bandV3(double score) {
    if (score >= 9.0) {
      return Severity.CRITICAL;
    }
    if (score >= 7.0) {
      return Severity.HIGH;
    }
    if (score >= 4.0) {
      return Severity.MEDIUM;
    }
    return score > 0 ? Severity.LOW : Severity.UNKNOWN;
  }

  static double scoreV3(String vector) {
    Map<String, String> m = metrics(vector);
    boolean changed = "C".equals(need(m, "S"));
    double av = pick(need(m, "AV"), "N", 0.85, "A", 0.62, "L", 0.55, "P", 0.2);
    double ac = pick(need(m, "AC"), "L", 0.77, "H", 0.44);
    double pr =
        changed
            ? pick(need(m, "PR"), "N", 0.85, "L", 0.68, "H", 0.5)
            : pick(need(m, "PR"), "N", 0.85, "L", 0.62, "H", 0.27);
    double ui = pick(need(m, "UI"), "N", 0.85, "R", 0.62);
    double c = pick(need(m, "C"), "H", 0.56, "L", 0.22, "N", 0);
    double i = pick(need(m, "I"), "H", 0.56, "L", 0.22, "N", 0);
    double a = pick(need(m, "A"), "H", 0.56, "L", 0.22, "N", 0);
    double iss = 1 - (1 - c) * (1 - i) * (1 - a);
    double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
    double exploitability = 8.22 * av * ac * pr * ui;
    if (impact <= 0) {
      return 0;
    }
    double raw = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
    return roundUp(Math.min(raw, 10));
  }

  /** CVSS v3.1's round-up to one decimal, done in integers to dodge floating-point error. */
  private static double roundUp(double value) {
    long scaled = Math.round(value * 100_000);
    if (scaled % 10_000 == 0) {
      return scaled / 100_000.0;
    }
    return (Math.floor(scaled / 10_000.0) + 1) / 10.0;
  }

  static double scoreV2(String vector) {
    Map<String, String> m = metrics(vector);
    double av = pick(need(m, "AV"), "L", 0.395, "A", 0.646, "N", 1.0);
    double ac = pick(need(m, "AC"), "H", 0.35, "M", 0.61, "L", 0.71);
    double au = pick(need(m, "Au"), "M", 0.45, "S", 0.56, "N", 0.704);
    double c = pick(need(m, "C"), "N", 0, "P", 0.275, "C", 0.660);
    double i = pick(need(m, "I"), "N", 0, "P", 0.275, "C", 0.660);
    double a = pick(need(m, "A"), "N", 0, "P", 0.275, "C", 0.660);
    double impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
    double exploitability = 20 * av * ac * au;
    double f = impact == 0 ? 0 : 1.176;
    return Math.round(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f * 10) / 10.0;
  }

  private static Map<String, String> metrics(String vector) {
    Map<String, String> metrics = new HashMap<>();
    for (String part : vector.replace("(", "").replace(")", "").split("/")) {
      int colon = part.indexOf(':');
      if (colon > 0) {
        metrics.put(part.substring(0, colon), part.substring(colon + 1));
      }
    }
    return metrics;
  }

  private static String need(Map<String, String> metrics, String key) {
    String value = metrics.get(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return value;
  }

  private static double pick(String value, Object... table) {
    for (int k = 0; k < table.length; k += 2) {
      if (table[k].equals(value)) {
        return (Double) (table[k + 1] instanceof Integer n ? n.doubleValue() : table[k + 1]);
      }
    }
    throw new IllegalArgumentException("unknown value " + value);
  }
}
