package sh.eraser.scanner;

import java.util.Comparator;
import java.util.Optional;

/**
 * The distribution an image is built on, and where its advisories live in OSV: the ecosystem
 * ({@code Debian:12}, {@code Alpine:v3.19}, {@code Ubuntu:22.04:LTS}) inside the zip of the base
 * ecosystem ({@code Debian/all.zip}).
 *
 * @param family the os-release ID: debian, ubuntu, alpine, rocky, almalinux, or another
 * @param release the release as the ecosystem names it: 12, 22.04, 3.19, 9; empty when unknown
 * @param name a name for people, such as "Debian 12"
 */
public record OperatingSystem(String family, String release, String name) {

  /**
   * The base ecosystem, named as OSV's directory; empty when OSV has none for this family.
   *
   * <p>Limitation: Red Hat Enterprise Linux, CentOS, Fedora, Amazon Linux, Oracle Linux, SUSE,
   * Wolfi and Chainguard images are not scanned ("not scanned", kept); Ubuntu Pro (ESM) records are
   * not used.
   */
  public Optional<String> baseEcosystem() {
    return Optional.ofNullable(
        switch (family) {
          case "debian" -> "Debian";
          case "ubuntu" -> "Ubuntu";
          case "alpine" -> "Alpine";
          case "rocky" -> "Rocky Linux";
          case "almalinux" -> "AlmaLinux";
          default -> null;
        });
  }

  /** The ecosystem of this release, as OSV records name it in {@code affected[].package}. */
  public Optional<String> ecosystem() {
    if (release.isEmpty()) {
      return Optional.empty();
    }
    return baseEcosystem()
        .map(
            base ->
                switch (family) {
                  case "alpine" -> base + ":v" + release;
                  case "ubuntu" -> base + ":" + release + (lts() ? ":LTS" : "");
                  default -> base + ":" + release;
                });
  }

  /** Ubuntu's long-term releases come out in April of even years. */
  private boolean lts() {
    String[] parts = release.split("\\.");
    return parts.length == 2
        && parts[1].equals("04")
        && parts[0].chars().allMatch(Character::isDigit)
        && Integer.parseInt(parts[0]) % 2 == 0;
  }

  /** The version order of this family's packages. */
  public Comparator<String> versionOrder() {
    return switch (family) {
      case "alpine" -> ApkVersion.ORDER;
      case "rocky", "almalinux" -> RpmVersion.ORDER;
      default -> DpkgVersion.ORDER;
    };
  }

  @Override
  public String toString() {
    return name;
  }
}
