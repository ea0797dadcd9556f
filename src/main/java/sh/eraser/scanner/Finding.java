package sh.eraser.scanner;

import java.util.List;
import sh.eraser.config.ScannerConfig.Severity;

/**
 * A vulnerability of an installed package.
 *
 * @param id the advisory's ID
 * @param aliases other IDs of the same issue (the CVE, most often)
 * @param packageName the source package the advisory names
 * @param installedVersion the installed version
 * @param fixedVersion the first version with the fix, or null when there is none yet
 * @param severity how severe it is
 */
public record Finding(
    String id,
    List<String> aliases,
    String packageName,
    String installedVersion,
    String fixedVersion,
    Severity severity) {

  /** "fixed" when a fixed version exists, else "affected", in the words Trivy's statuses use. */
  public String status() {
    return fixedVersion == null ? "affected" : "fixed";
  }

  /** The CVE ID when the advisory has one, else its own ID: what a person looks up. */
  public String cve() {
    if (id.startsWith("CVE-")) {
      return id;
    }
    return aliases.stream().filter(a -> a.startsWith("CVE-")).findFirst().orElse(id);
  }
}
