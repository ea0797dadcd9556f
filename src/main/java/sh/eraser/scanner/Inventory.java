package sh.eraser.scanner;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an image holds, as far as the scanner cares: its distribution and installed packages.
 *
 * @param os the distribution, if one was found
 * @param packages installed packages from every package database found
 * @param unreadable package databases found but not read, with the reason
 */
record Inventory(
    Optional<OperatingSystem> os, List<InstalledPackage> packages, Map<String, String> unreadable) {

  static Inventory of(ImageFiles files) {
    return new Inventory(
        OsDetector.detect(files), List.copyOf(files.packages()), Map.copyOf(files.unreadable()));
  }
}
