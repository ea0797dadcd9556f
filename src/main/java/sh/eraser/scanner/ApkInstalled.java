package sh.eraser.scanner;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads apk's database, {@code lib/apk/db/installed}: one {@code K:value} line per field, a blank
 * line between packages. {@code P} is the name, {@code V} the version, {@code o} the origin (the
 * source package that Alpine's advisories name).
 */
final class ApkInstalled {

  private ApkInstalled() {}

  static List<InstalledPackage> parse(String text) {
    List<InstalledPackage> packages = new ArrayList<>();
    String name = null;
    String version = null;
    String origin = null;
    for (String line : (text + "\n\n").split("\n", -1)) {
      if (line.isBlank()) {
        if (name != null && version != null) {
          String source = origin == null ? name : origin;
          packages.add(new InstalledPackage(name, version, source, version));
        }
        name = null;
        version = null;
        origin = null;
      } else if (line.length() >= 2 && line.charAt(1) == ':') {
        String value = line.substring(2).strip();
        switch (line.charAt(0)) {
          case 'P' -> name = value;
          case 'V' -> version = value;
          case 'o' -> origin = value;
          default -> {
            // Checksums, files, dependencies: not needed to match advisories.
          }
        }
      }
    }
    return packages;
  }
}
