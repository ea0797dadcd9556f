package sh.eraser.scanner;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Names the distribution of an image from its os-release file, or failing that from the files older
 * releases and minimal images carry: {@code etc/alpine-release}, {@code etc/lsb-release}, {@code
 * etc/debian_version}.
 */
final class OsDetector {

  private OsDetector() {}

  static Optional<OperatingSystem> detect(ImageFiles files) {
    Optional<String> osRelease =
        files.text("etc/os-release").or(() -> files.text("usr/lib/os-release"));
    if (osRelease.isPresent()) {
      Map<String, String> fields = keyValues(osRelease.get());
      String id = fields.getOrDefault("ID", "").toLowerCase(java.util.Locale.ROOT);
      if (!id.isEmpty()) {
        return Optional.of(fromOsRelease(id, fields, files));
      }
    }
    Optional<String> alpine = files.text("etc/alpine-release");
    if (alpine.isPresent()) {
      return Optional.of(alpine(firstLine(alpine.get())));
    }
    Optional<String> lsb = files.text("etc/lsb-release");
    if (lsb.isPresent()) {
      Map<String, String> fields = keyValues(lsb.get());
      if ("ubuntu".equalsIgnoreCase(fields.get("DISTRIB_ID"))) {
        String release = fields.getOrDefault("DISTRIB_RELEASE", "");
        return Optional.of(new OperatingSystem("ubuntu", release, "Ubuntu " + release));
      }
    }
    return files.text("etc/debian_version").map(v -> debian(firstLine(v)));
  }

  private static OperatingSystem fromOsRelease(
      String id, Map<String, String> fields, ImageFiles files) {
    String version = fields.getOrDefault("VERSION_ID", "");
    String pretty = fields.getOrDefault("PRETTY_NAME", id + " " + version).strip();
    return switch (id) {
      case "debian" ->
          version.isEmpty()
              ? debian(files.text("etc/debian_version").map(OsDetector::firstLine).orElse(""))
              : debian(version);
      case "alpine" -> alpine(version);
      case "ubuntu" -> new OperatingSystem("ubuntu", version, "Ubuntu " + version);
      case "rocky", "almalinux" -> new OperatingSystem(id, major(version), pretty);
      default -> new OperatingSystem(id, version, pretty);
    };
  }

  /** Debian's advisories go by major release; testing and sid ("trixie/sid") have none. */
  private static OperatingSystem debian(String version) {
    String major = major(version);
    boolean numeric = !major.isEmpty() && major.chars().allMatch(Character::isDigit);
    return numeric
        ? new OperatingSystem("debian", major, "Debian " + major)
        : new OperatingSystem("debian", "", "Debian " + version);
  }

  private static OperatingSystem alpine(String version) {
    String[] parts = version.split("\\.");
    String release = parts.length >= 2 ? parts[0] + "." + parts[1] : version;
    if (version.contains("_alpha") || version.equals("edge")) {
      release = "edge";
    }
    return new OperatingSystem("alpine", release, "Alpine " + release);
  }

  private static String major(String version) {
    int dot = version.indexOf('.');
    return dot < 0 ? version : version.substring(0, dot);
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("").strip();
  }

  /** Parses {@code KEY=value} lines, with or without quotes around the value. */
  static Map<String, String> keyValues(String text) {
    Map<String, String> fields = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq <= 0 || line.startsWith("#")) {
        continue;
      }
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"")
              || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      fields.put(line.substring(0, eq).strip(), value);
    }
    return fields;
  }
}
