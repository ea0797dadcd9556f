package sh.eraser.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import sh.eraser.config.ScannerConfig.Severity;

class ScannerConfigTest {

  @Test
  void anEmptyDocumentMeansEveryDefault() {
    ScannerConfig config = ScannerConfig.parse("").config();

    assertThat(config).isEqualTo(ScannerConfig.DEFAULTS);
    assertThat(config.cacheDir()).isEqualTo("/var/lib/trivy");
    assertThat(config.dbRepo()).isEqualTo("https://osv-vulnerabilities.storage.googleapis.com");
    assertThat(config.deleteFailedImages()).isTrue();
    assertThat(config.deleteEolImages()).isTrue();
    assertThat(config.vulnerabilities().ignoreUnfixed()).isFalse();
    assertThat(config.vulnerabilities().types()).containsExactly("os", "library");
    assertThat(config.vulnerabilities().securityChecks()).containsExactly("vuln");
    assertThat(config.vulnerabilities().severities())
        .containsExactly(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW);
    assertThat(config.vulnerabilities().ignoredStatuses()).isEmpty();
    assertThat(config.timeout().total()).isEqualTo(Duration.ofHours(23));
    assertThat(config.timeout().perImage()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void readsEveryKeyOverTheDefaults() {
    ScannerConfig config =
        ScannerConfig.parse(
                """
                cacheDir: /cache
                dbRepo: file:///var/lib/osv
                deleteFailedImages: false
                deleteEOLImages: false
                vulnerabilities:
                  ignoreUnfixed: true
                  types: [os]
                  severities: [critical, HIGH]
                  ignoredStatuses: [will_not_fix]
                timeout:
                  perImage: 10m
                """)
            .config();

    assertThat(config.cacheDir()).isEqualTo("/cache");
    assertThat(config.dbRepo()).isEqualTo("file:///var/lib/osv");
    assertThat(config.deleteFailedImages()).isFalse();
    assertThat(config.deleteEolImages()).isFalse();
    assertThat(config.vulnerabilities().ignoreUnfixed()).isTrue();
    assertThat(config.vulnerabilities().types()).containsExactly("os");
    assertThat(config.vulnerabilities().securityChecks()).containsExactly("vuln");
    assertThat(config.vulnerabilities().severities())
        .containsExactly(Severity.CRITICAL, Severity.HIGH);
    assertThat(config.vulnerabilities().ignoredStatuses()).containsExactly("will_not_fix");
    assertThat(config.timeout().total()).isEqualTo(Duration.ofHours(23));
    assertThat(config.timeout().perImage()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void ignoresTheRuntimeKeyAndReportsUnknownOnes() {
    ParsedConfig<ScannerConfig> parsed =
        ScannerConfig.parse("runtime: containerd\nvulnerabilities: {severity: [HIGH]}\n");

    assertThat(parsed.config()).isEqualTo(ScannerConfig.DEFAULTS);
    assertThat(parsed.warnings())
        .containsExactly(
            "components.scanner.config.vulnerabilities.severity: unknown key, ignored");
  }

  @Test
  void rejectsAnUnknownSeverity() {
    assertThatThrownBy(() -> ScannerConfig.parse("vulnerabilities: {severities: [HIGH, SEVERE]}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage(
            "components.scanner.config.vulnerabilities.severities[1]: \"SEVERE\" is not a severity"
                + " (expected CRITICAL, HIGH, MEDIUM, LOW or UNKNOWN)");
  }

  @Test
  void rejectsTimeoutsThatAreNotPositiveDurations() {
    assertThatThrownBy(() -> ScannerConfig.parse("timeout: {perImage: 3600}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith(
            "components.scanner.config.timeout.perImage: \"3600\" is not a duration");
    assertThatThrownBy(() -> ScannerConfig.parse("timeout: {total: -1h}"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("components.scanner.config.timeout.total: \"-1h\" is not allowed");
  }

  @Test
  void rejectsADatabaseThatIsNotAnOsvUrlOrDirectory() {
    assertThatThrownBy(() -> ScannerConfig.parse("dbRepo: ghcr.io/aquasecurity/trivy-db"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage(
            "components.scanner.config.dbRepo: \"ghcr.io/aquasecurity/trivy-db\""
                + " is not an https:// URL or a file:// directory of an OSV database");
  }

  @Test
  void rejectsAWrongTypeAndADocumentThatIsNotAMapping() {
    assertThatThrownBy(() -> ScannerConfig.parse("deleteFailedImages: sometimes"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith(
            "components.scanner.config.deleteFailedImages: \"sometimes\" is not a boolean");
    assertThatThrownBy(() -> ScannerConfig.parse("- a\n- b\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("components.scanner.config: [\"a\",\"b\"] is not a mapping");
  }
}
