package sh.eraser.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sh.eraser.config.ScannerConfig.Severity;

/** Evaluating OSV ranges as the schema describes. */
class AdvisoryTest {

  private static Advisory.Event e(Advisory.Kind kind, String version) {
    return new Advisory.Event(kind, version);
  }

  private static Advisory advisory(List<Advisory.Event> events, Set<String> versions) {
    return new Advisory("X-1", List.of(), Severity.HIGH, List.of(events), versions);
  }

  @Test
  void fixedEndsTheRangeAndNamesTheFix() {
    Advisory a =
        advisory(
            List.of(e(Advisory.Kind.INTRODUCED, "0"), e(Advisory.Kind.FIXED, "1.2-1")), Set.of());

    assertThat(a.evaluate("1.1-1", DpkgVersion.ORDER))
        .isEqualTo(new Advisory.Verdict(true, Optional.of("1.2-1")));
    assertThat(a.evaluate("1.2-1", DpkgVersion.ORDER).affected()).isFalse();
    assertThat(a.evaluate("1.2-1+b1", DpkgVersion.ORDER).affected()).isFalse();
  }

  @Test
  void introducedLaterAndLastAffected() {
    Advisory a =
        advisory(
            List.of(e(Advisory.Kind.INTRODUCED, "2.0"), e(Advisory.Kind.LAST_AFFECTED, "2.5")),
            Set.of());

    assertThat(a.evaluate("1.9", DpkgVersion.ORDER).affected()).isFalse();
    assertThat(a.evaluate("2.5", DpkgVersion.ORDER))
        .isEqualTo(new Advisory.Verdict(true, Optional.empty()));
    assertThat(a.evaluate("2.6", DpkgVersion.ORDER).affected()).isFalse();
  }

  @Test
  void twoRangesInOneListAndALimit() {
    Advisory a =
        advisory(
            List.of(
                e(Advisory.Kind.INTRODUCED, "0"),
                e(Advisory.Kind.FIXED, "1.0"),
                e(Advisory.Kind.INTRODUCED, "2.0"),
                e(Advisory.Kind.FIXED, "2.1"),
                e(Advisory.Kind.LIMIT, "3.0")),
            Set.of());

    assertThat(a.evaluate("0.9", DpkgVersion.ORDER).fixedIn()).hasValue("1.0");
    assertThat(a.evaluate("1.5", DpkgVersion.ORDER).affected()).isFalse();
    assertThat(a.evaluate("2.0.5", DpkgVersion.ORDER).fixedIn()).hasValue("2.1");
  }

  @Test
  void alpinesFixedZeroMeansNeverAffected() {
    Advisory a =
        advisory(List.of(e(Advisory.Kind.INTRODUCED, "0"), e(Advisory.Kind.FIXED, "0")), Set.of());

    assertThat(a.evaluate("1.36.1-r15", ApkVersion.ORDER).affected()).isFalse();
  }

  @Test
  void explicitVersionsAreAffected() {
    Advisory a = advisory(List.of(), Set.of("1.0-1"));

    assertThat(a.evaluate("1.0-1", DpkgVersion.ORDER).affected()).isTrue();
    assertThat(a.evaluate("1.0-2", DpkgVersion.ORDER).affected()).isFalse();
  }

  @Test
  void cvssVectorsAreScoredAsTheSpecificationsSay() {
    assertThat(Cvss.scoreV3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).isEqualTo(9.8);
    assertThat(Cvss.scoreV3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N")).isEqualTo(7.5);
    assertThat(Cvss.scoreV3("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N")).isEqualTo(6.1);
    assertThat(Cvss.scoreV3("CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H")).isEqualTo(5.5);
    assertThat(Cvss.scoreV2("AV:N/AC:L/Au:N/C:C/I:C/A:C")).isEqualTo(10.0);
    assertThat(Cvss.scoreV2("AV:N/AC:M/Au:N/C:N/I:P/A:N")).isEqualTo(4.3);
    assertThat(Cvss.severity("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"))
        .hasValue(Severity.CRITICAL);
    assertThat(Cvss.severity("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"))
        .isEmpty();
    assertThat(Cvss.severity("not a vector")).isEmpty();
  }

  @Test
  void endOfLifeFollowsTheClock() {
    OperatingSystem debian11 = new OperatingSystem("debian", "11", "Debian 11");
    var before =
        EolTable.builtIn(
            java.time.Clock.fixed(
                java.time.Instant.parse("2026-08-31T12:00:00Z"), java.time.ZoneOffset.UTC));
    var after =
        EolTable.builtIn(
            java.time.Clock.fixed(
                java.time.Instant.parse("2026-09-01T00:00:00Z"), java.time.ZoneOffset.UTC));

    assertThat(before.isEndOfLife(debian11)).isFalse();
    assertThat(after.isEndOfLife(debian11)).isTrue();
    assertThat(after.isEndOfLife(new OperatingSystem("debian", "99", "Debian 99"))).isFalse();
  }
}
