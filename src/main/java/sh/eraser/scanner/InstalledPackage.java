package sh.eraser.scanner;

/**
 * A package the image's package database lists as installed. Advisories name source packages, so
 * matching uses {@code sourceName} and {@code sourceVersion}; the binary name is for people.
 */
public record InstalledPackage(
    String name, String version, String sourceName, String sourceVersion) {

  /** A package whose source is itself. */
  public static InstalledPackage of(String name, String version) {
    return new InstalledPackage(name, version, name, version);
  }
}
