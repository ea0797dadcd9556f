package sh.eraser.scanner;

import java.util.Set;

/** Which files of an image the scanner reads, and how. */
final class KeptPaths {

  /** Files that name the operating system and its release. */
  static final Set<String> OS_FILES =
      Set.of(
          "etc/os-release",
          "usr/lib/os-release",
          "etc/debian_version",
          "etc/lsb-release",
          "etc/alpine-release");

  static final String DPKG_STATUS = "var/lib/dpkg/status";
  static final String DPKG_STATUS_DIR = "var/lib/dpkg/status.d/";
  static final Set<String> APK_DATABASES =
      Set.of("lib/apk/db/installed", "usr/lib/apk/db/installed");
  static final Set<String> RPM_SQLITE =
      Set.of(
          "var/lib/rpm/rpmdb.sqlite",
          "usr/lib/sysimage/rpm/rpmdb.sqlite",
          "usr/share/rpm/rpmdb.sqlite");
  static final Set<String> RPM_OTHER =
      Set.of(
          "var/lib/rpm/Packages",
          "var/lib/rpm/Packages.db",
          "usr/lib/sysimage/rpm/Packages",
          "usr/lib/sysimage/rpm/Packages.db");

  private KeptPaths() {}

  enum Kind {
    OS_FILE,
    DPKG,
    APK,
    RPM_SQLITE,
    RPM_OTHER,
    NONE
  }

  static Kind kind(String path) {
    if (OS_FILES.contains(path)) {
      return Kind.OS_FILE;
    }
    if (path.equals(DPKG_STATUS)
        || (path.startsWith(DPKG_STATUS_DIR)
            && path.indexOf('/', DPKG_STATUS_DIR.length()) < 0
            && !path.endsWith(".md5sums"))) {
      return Kind.DPKG;
    }
    if (APK_DATABASES.contains(path)) {
      return Kind.APK;
    }
    if (RPM_SQLITE.contains(path)) {
      return Kind.RPM_SQLITE;
    }
    if (RPM_OTHER.contains(path)) {
      return Kind.RPM_OTHER;
    }
    return Kind.NONE;
  }

  /** A tar entry name as a relative path: no leading "./" or "/", no trailing "/". */
  static String normalise(String name) {
    String path = name;
    while (path.startsWith("./") || path.startsWith("/")) {
      path = path.substring(path.startsWith("./") ? 2 : 1);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path;
  }
}
