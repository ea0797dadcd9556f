package sh.eraser.scanner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import sh.eraser.config.ScannerConfig.Severity;

/**
 * One OSV record's verdict on one package of one ecosystem: which versions it affects (ranges of
 * events, or an explicit list), and how severe it is there.
 *
 * @param id the record ID, such as {@code DEBIAN-CVE-2024-0001} or {@code ALPINE-CVE-2024-0001}
 * @param aliases other IDs of the same issue, such as the CVE
 * @param severity the distribution's rating, else the CVSS band, else UNKNOWN
 * @param ranges ECOSYSTEM ranges, each a list of events
 * @param versions versions named one by one
 */
public record Advisory(
    String id,
    List<String> aliases,
    Severity severity,
    List<List<Event>> ranges,
    Set<String> versions) {

  /** One event of a range: exactly one of introduced, fixed, last_affected, limit. */
  public record Event(Kind kind, String version) {}

  public enum Kind {
    INTRODUCED,
    FIXED,
    LAST_AFFECTED,
    LIMIT
  }

  /** What an advisory says of one installed version. */
  public record Verdict(boolean affected, Optional<String> fixedIn) {}

  private static final Verdict NOT_AFFECTED = new Verdict(false, Optional.empty());

  /** Evaluates the installed version as the OSV schema describes, in the ecosystem's order. */
  public Verdict evaluate(String installed, Comparator<String> order) {
    if (versions.contains(installed)) {
      return new Verdict(true, Optional.empty());
    }
    for (List<Event> range : ranges) {
      Verdict verdict = evaluate(range, installed, order);
      if (verdict.affected()) {
        return verdict;
      }
    }
    return NOT_AFFECTED;
  }

  private static Verdict evaluate(List<Event> range, String installed, Comparator<String> order) {
    List<Event> sorted = new ArrayList<>(range);
    Comparator<Event> byVersion =
        (a, b) -> {
          boolean zeroA = a.kind() == Kind.INTRODUCED && a.version().equals("0");
          boolean zeroB = b.kind() == Kind.INTRODUCED && b.version().equals("0");
          if (zeroA || zeroB) {
            return zeroA == zeroB ? 0 : zeroA ? -1 : 1;
          }
          int c = order.compare(a.version(), b.version());
          return c != 0 ? c : a.kind().compareTo(b.kind());
        };
    sorted.sort(byVersion);
    boolean affected = false;
    String fix = null;
    for (Event event : sorted) {
      switch (event.kind()) {
        case INTRODUCED -> {
          if (event.version().equals("0") || order.compare(installed, event.version()) >= 0) {
            affected = true;
            fix = null;
          }
        }
        case FIXED -> {
          if (order.compare(installed, event.version()) >= 0) {
            affected = false;
          } else if (affected && fix == null) {
            fix = event.version();
          }
        }
        case LAST_AFFECTED -> {
          if (order.compare(installed, event.version()) > 0) {
            affected = false;
          }
        }
        case LIMIT -> {
          if (order.compare(installed, event.version()) >= 0) {
            return NOT_AFFECTED;
          }
        }
      }
    }
    return affected ? new Verdict(true, Optional.ofNullable(fix)) : NOT_AFFECTED;
  }
}
