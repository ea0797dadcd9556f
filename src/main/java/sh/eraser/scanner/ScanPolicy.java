package sh.eraser.scanner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import sh.eraser.config.ScannerConfig;
import sh.eraser.config.ScannerConfig.Severity;

/**
 * Turns an image's inventory into a verdict under the scanner's configuration: severities,
 * ignoreUnfixed, ignoredStatuses, deleteEOLImages and deleteFailedImages.
 */
final class ScanPolicy {

  /** How many findings a reason names before it says "and N more". */
  private static final int NAMED_FINDINGS = 5;

  private final ScannerConfig config;
  private final EolTable eol;

  ScanPolicy(ScannerConfig config, EolTable eol) {
    this.config = config;
    this.eol = eol;
  }

  ImageScan judge(ScanTarget target, Inventory inventory, OsvDatabase db) {
    if (inventory.os().isEmpty()) {
      return keep(target, ScanVerdict.NOT_SCANNED, "no operating system found", null);
    }
    OperatingSystem os = inventory.os().get();
    boolean endOfLife = config.deleteEolImages() && eol.isEndOfLife(os);
    if (endOfLife) {
      String until = eol.endOfLife(os).map(Object::toString).orElse("");
      List<Finding> findings = countable(inventory, os, db);
      return new ImageScan(
          target,
          ScanVerdict.END_OF_LIFE,
          os + " reached its end of life on " + until,
          os,
          findings,
          true);
    }
    if (!inventory.unreadable().isEmpty()) {
      var first = inventory.unreadable().entrySet().iterator().next();
      return failed(target, first.getKey() + ": " + first.getValue(), os);
    }
    // Limitation: only OS packages are scanned; "library" in vulnerabilities.types (jars, npm,
    // Python and Go packages) finds nothing, which keeps images rather than removing them.
    if (!config.vulnerabilities().types().contains("os")) {
      return keep(target, ScanVerdict.NOT_SCANNED, "vulnerabilities.types leaves out os", os);
    }
    if (os.ecosystem().isEmpty()) {
      String why =
          os.baseEcosystem().isEmpty()
              ? os + " is not a distribution the scanner has advisories for"
              : os + " has no release number to look advisories up by";
      return keep(target, ScanVerdict.NOT_SCANNED, why, os);
    }
    if (inventory.packages().isEmpty()) {
      return keep(target, ScanVerdict.NOT_SCANNED, os + " with no package database", os);
    }
    List<Finding> findings = countable(inventory, os, db);
    if (findings.isEmpty()) {
      return keep(
          target,
          ScanVerdict.CLEAN,
          plural(inventory.packages().size(), "package") + ", no vulnerability counted",
          os);
    }
    return new ImageScan(target, ScanVerdict.VULNERABLE, describe(findings), os, findings, true);
  }

  /** An image that could not be scanned: removed only when deleteFailedImages says so. */
  ImageScan failed(ScanTarget target, String why, OperatingSystem os) {
    return new ImageScan(
        target, ScanVerdict.FAILED, why, os, List.of(), config.deleteFailedImages());
  }

  ImageScan gone(ScanTarget target) {
    return keep(target, ScanVerdict.GONE, "containerd no longer has this image", null);
  }

  private static ImageScan keep(
      ScanTarget target, ScanVerdict verdict, String why, OperatingSystem os) {
    return new ImageScan(target, verdict, why, os, List.of(), false);
  }

  /** The findings that count under the configuration, worst first, one per advisory. */
  private List<Finding> countable(Inventory inventory, OperatingSystem os, OsvDatabase db) {
    if (os.ecosystem().isEmpty()) {
      return List.of();
    }
    String ecosystem = os.ecosystem().get();
    Set<String> ignored = new HashSet<>();
    config
        .vulnerabilities()
        .ignoredStatuses()
        .forEach(s -> ignored.add(s.toLowerCase(Locale.ROOT)));
    List<Finding> findings = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (InstalledPackage p : inventory.packages()) {
      for (String name : names(p)) {
        for (Advisory advisory : db.advisories(ecosystem, name)) {
          var verdict = advisory.evaluate(p.sourceVersion(), os.versionOrder());
          if (!verdict.affected() || !seen.add(advisory.id() + "\u0000" + name)) {
            continue;
          }
          Finding finding =
              new Finding(
                  advisory.id(),
                  advisory.aliases(),
                  name,
                  p.sourceVersion(),
                  verdict.fixedIn().orElse(null),
                  advisory.severity());
          if (counts(finding, ignored)) {
            findings.add(finding);
          }
        }
      }
    }
    findings.sort(Comparator.comparing(Finding::severity).thenComparing(Finding::id));
    return findings;
  }

  /** The source package first; rpm advisories may name the binary package instead. */
  private static List<String> names(InstalledPackage p) {
    return p.name().equals(p.sourceName())
        ? List.of(p.sourceName())
        : List.of(p.sourceName(), p.name());
  }

  private boolean counts(Finding finding, Set<String> ignoredStatuses) {
    if (!config.vulnerabilities().severities().contains(finding.severity())) {
      return false;
    }
    if (config.vulnerabilities().ignoreUnfixed() && finding.fixedVersion() == null) {
      return false;
    }
    // Limitation: OSV records say only whether a fix exists, so a finding's status is "fixed" or
    // "affected"; ignoredStatuses such as will_not_fix or end_of_life never match.
    return !ignoredStatuses.contains(finding.status());
  }

  private static String describe(List<Finding> findings) {
    String named =
        findings.stream()
            .limit(NAMED_FINDINGS)
            .map(f -> f.cve() + " (" + f.severity() + ", " + f.packageName() + ")")
            .collect(Collectors.joining(", "));
    int more = findings.size() - NAMED_FINDINGS;
    String count = findings.size() == 1 ? "1 vulnerability" : findings.size() + " vulnerabilities";
    return count + ": " + named + (more > 0 ? " and " + more + " more" : "");
  }

  private static String plural(int n, String noun) {
    return n + " " + (n == 1 ? noun : noun + "s");
  }

  static Severity worst(List<Finding> findings) {
    return findings.stream().map(Finding::severity).min(Comparator.naturalOrder()).orElse(null);
  }
}
