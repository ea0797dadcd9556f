package sh.eraser.scanner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads dpkg's database: {@code var/lib/dpkg/status}, or one file of distroless images' {@code
 * var/lib/dpkg/status.d/}. Both hold RFC 822 stanzas, one per package, separated by blank lines.
 */
final class DpkgStatus {

  private DpkgStatus() {}

  static List<InstalledPackage> parse(String text) {
    List<InstalledPackage> packages = new ArrayList<>();
    for (Map<String, String> stanza : stanzas(text)) {
      String name = stanza.get("Package");
      String version = stanza.get("Version");
      if (name == null || version == null || !installed(stanza.get("Status"))) {
        continue;
      }
      String sourceName = name;
      String sourceVersion = version;
      String source = stanza.get("Source");
      if (source != null && !source.isBlank()) {
        // "Source: openssl" or "Source: openssl (3.0.11-1~deb12u2)" when the versions differ.
        int paren = source.indexOf('(');
        if (paren < 0) {
          sourceName = source.strip();
        } else {
          sourceName = source.substring(0, paren).strip();
          int close = source.indexOf(')', paren);
          sourceVersion = source.substring(paren + 1, close < 0 ? source.length() : close).strip();
        }
      }
      packages.add(new InstalledPackage(name, version, sourceName, sourceVersion));
    }
    return packages;
  }

  /**
   * "install ok installed" counts; a stanza without Status (distroless writes none at times) counts
   * too. Removed packages whose configuration files remain, or half-installed ones, do not.
   */
  private static boolean installed(String status) {
    if (status == null) {
      return true;
    }
    String[] words = status.strip().split("\\s+");
    for (String word : words) {
      if (word.equals("deinstall") || word.equals("purge")) {
        return false;
      }
    }
    return words.length < 3 || words[2].equals("installed");
  }

  private static List<Map<String, String>> stanzas(String text) {
    List<Map<String, String>> stanzas = new ArrayList<>();
    Map<String, String> current = new HashMap<>();
    String lastKey = null;
    for (String line : text.split("\n", -1)) {
      if (line.isBlank()) {
        if (!current.isEmpty()) {
          stanzas.add(current);
          current = new HashMap<>();
        }
        lastKey = null;
      } else if (line.startsWith(" ") || line.startsWith("\t")) {
        // A continuation line of a multi-line field such as Description: nothing we match on.
        if (lastKey == null) {
          continue;
        }
      } else {
        int colon = line.indexOf(':');
        if (colon > 0) {
          lastKey = line.substring(0, colon);
          current.put(lastKey, line.substring(colon + 1).strip());
        }
      }
    }
    if (!current.isEmpty()) {
      stanzas.add(current);
    }
    return stanzas;
  }
}
