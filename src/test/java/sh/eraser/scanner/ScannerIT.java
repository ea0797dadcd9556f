package sh.eraser.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.eraser.scanner.OsvFixtures.CVSS_HIGH;
import static sh.eraser.scanner.OsvFixtures.CVSS_MEDIUM;
import static sh.eraser.scanner.ScanImages.debianBase;
import static sh.eraser.scanner.ScanImages.dpkgStatus;
import static sh.eraser.scanner.ScanImages.importPacked;
import static sh.eraser.scanner.ScanImages.importUnpacked;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.config.ScannerConfig;
import sh.eraser.testing.LayeredImageArchive;
import sh.eraser.testing.LayeredImageArchive.Layer;
import sh.eraser.testing.LocalContainerd;
import sh.eraser.testing.LocalContainerdExtension;

/**
 * The scanner's verdicts on images built in the test and imported into a real containerd, against
 * an OSV database made in the test and read from a {@code file://} directory.
 */
class ScannerIT {

  @RegisterExtension
  static final LocalContainerdExtension containerd =
      new LocalContainerdExtension().resetBeforeEach();

  /** The scanner's "today": Debian 11 is past its end of life, Debian 12 is not. */
  private static final Instant TODAY = Instant.parse("2026-12-04T12:00:00Z");

  @TempDir Path dir;
  private Path db;

  private LocalContainerd node() {
    return containerd.get();
  }

  @BeforeEach
  void database() {
    db =
        OsvFixtures.create()
            .advisory("DEBIAN-CVE-2024-1001", "Debian:12", "openssl", "3.0.11-1~deb12u2", CVSS_HIGH)
            .advisory("DEBIAN-CVE-2024-1002", "Debian:12", "curl", null, CVSS_MEDIUM)
            .debianUrgency("DEBIAN-CVE-2024-1003", "Debian:12", "zlib", "1:1.3.dfsg-1", "low")
            .advisory("DEBIAN-CVE-2024-1004", "Debian:11", "openssl", "9.9-1", CVSS_HIGH)
            .ubuntuPriority(
                "UBUNTU-CVE-2024-4001",
                "Ubuntu:22.04:LTS",
                "openssl",
                "3.0.2-0ubuntu1.15",
                "medium")
            .advisory("ALPINE-CVE-2024-2001", "Alpine:v3.22", "busybox", "1.36.1-r20", CVSS_HIGH)
            .advisory("RLSA-2024:3001", "Rocky Linux:9", "openssl", "1:3.0.7-27.el9", CVSS_MEDIUM)
            .writeTo(dir.resolve("osv"));
  }

  private Map<String, ImageScan> scan(String configYaml, String... names) {
    String yaml =
        "dbRepo: " + db.toUri() + "\ncacheDir: " + dir.resolve("cache") + "\n" + configYaml;
    ScannerConfig config = ScannerConfig.parse(yaml).config();
    Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), TODAY));
    var settings =
        new Scanner.Settings(
            config,
            node().socket(),
            "k8s.io",
            new Platform("linux", "amd64", ""),
            clock,
            OsvSource.defaultClient(),
            Duration.ofSeconds(30));
    List<ScanTarget> targets =
        java.util.Arrays.stream(names).map(n -> new ScanTarget("", List.of(n))).toList();
    try (Scanner scanner = new Scanner(settings)) {
      return scanner.scan(targets).stream()
          .collect(
              Collectors.toMap(
                  s -> s.target().displayName(),
                  Function.identity(),
                  (a, b) -> a,
                  java.util.LinkedHashMap::new));
    }
  }

  private void images(LayeredImageArchive archive) {
    importUnpacked(node(), archive, dir);
  }

  @Test
  void debianPackagesBelowTheFixAreVulnerableAtTheFixClean() {
    images(
        LayeredImageArchive.builder()
            .image("docker.io/team/old:1", debianBase("openssl 3.0.11-1~deb12u1"))
            .image("docker.io/team/new:1", debianBase("openssl 3.0.11-1~deb12u2")));

    Map<String, ImageScan> scans = scan("", "docker.io/team/old:1", "docker.io/team/new:1");

    ImageScan old = scans.get("docker.io/team/old:1");
    assertThat(old.verdict()).as(old.reason()).isEqualTo(ScanVerdict.VULNERABLE);
    assertThat(old.remove()).isTrue();
    assertThat(old.reason()).contains("CVE-2024-1001", "HIGH", "openssl");
    assertThat(old.findings().get(0).fixedVersion()).isEqualTo("3.0.11-1~deb12u2");
    assertThat(scans.get("docker.io/team/new:1").verdict())
        .as(scans.get("docker.io/team/new:1").reason())
        .isEqualTo(ScanVerdict.CLEAN);
    assertThat(scans.get("docker.io/team/new:1").remove()).isFalse();
  }

  @Test
  void anUnfixedVulnerabilityCountsUnlessIgnoreUnfixed() {
    images(
        LayeredImageArchive.builder()
            .image("docker.io/team/curl:1", debianBase("curl 7.88.1-10+deb12u5")));

    ImageScan counted = scan("", "docker.io/team/curl:1").get("docker.io/team/curl:1");
    ImageScan ignored =
        scan("vulnerabilities:\n  ignoreUnfixed: true\n", "docker.io/team/curl:1")
            .get("docker.io/team/curl:1");
    ImageScan statusIgnored =
        scan("vulnerabilities:\n  ignoredStatuses: [affected]\n", "docker.io/team/curl:1")
            .get("docker.io/team/curl:1");

    assertThat(counted.verdict()).as(counted.reason()).isEqualTo(ScanVerdict.VULNERABLE);
    assertThat(counted.findings()).extracting(Finding::status).containsExactly("affected");
    assertThat(ignored.verdict()).as(ignored.reason()).isEqualTo(ScanVerdict.CLEAN);
    assertThat(ignored.remove()).isFalse();
    assertThat(statusIgnored.verdict()).as(statusIgnored.reason()).isEqualTo(ScanVerdict.CLEAN);
  }

  @Test
  void aHighOnlyImageIsKeptWhenOnlyCriticalCounts() {
    images(
        LayeredImageArchive.builder()
            .image("docker.io/team/high:1", debianBase("openssl 3.0.11-1~deb12u1")));

    ImageScan critical =
        scan("vulnerabilities:\n  severities: [CRITICAL]\n", "docker.io/team/high:1")
            .get("docker.io/team/high:1");

    assertThat(critical.verdict()).as(critical.reason()).isEqualTo(ScanVerdict.CLEAN);
    assertThat(critical.remove()).isFalse();
  }

  @Test
  void debianUrgencyRatesAboveTheCvssVector() {
    images(
        LayeredImageArchive.builder()
            .image("docker.io/team/zlib:1", debianBase("zlib 1:1.2.13.dfsg-1")));

    ImageScan low = scan("", "docker.io/team/zlib:1").get("docker.io/team/zlib:1");
    ImageScan notLow =
        scan("vulnerabilities:\n  severities: [CRITICAL, HIGH]\n", "docker.io/team/zlib:1")
            .get("docker.io/team/zlib:1");

    assertThat(low.findings())
        .extracting(Finding::severity)
        .containsExactly(ScannerConfig.Severity.LOW);
    assertThat(notLow.verdict()).as(notLow.reason()).isEqualTo(ScanVerdict.CLEAN);
  }

  @Test
  void alpineDistrolessAndRpmImagesAreMatchedOnTheirSourcePackages() throws Exception {
    Layer alpine = ScanImages.alpineBase("busybox-binsh 1.36.1-r15 busybox");
    Layer distroless =
        Layer.zstd()
            .file("etc/os-release", ScanImages.DEBIAN_12)
            .file(
                "var/lib/dpkg/status.d/libssl3",
                dpkgStatus("libssl3 3.0.11-1~deb12u1 openssl (3.0.11-1~deb12u1)"));
    Layer rocky =
        Layer.gzip()
            .file("etc/os-release", "NAME=\"Rocky Linux\"\nID=\"rocky\"\nVERSION_ID=\"9.3\"\n")
            .file(
                "var/lib/rpm/rpmdb.sqlite",
                RpmDatabases.sqlite(
                    dir,
                    "openssl-libs 1:3.0.7-24.el9 openssl-3.0.7-24.el9.src.rpm",
                    "bash 5.1.8-6.el9 bash-5.1.8-6.el9.src.rpm"));
    images(
        LayeredImageArchive.builder()
            .image("docker.io/team/alpine:1", alpine)
            .image("gcr.io/distroless/base:1", distroless)
            .image("docker.io/team/rocky:1", rocky));

    Map<String, ImageScan> scans =
        scan("", "docker.io/team/alpine:1", "gcr.io/distroless/base:1", "docker.io/team/rocky:1");

    assertThat(scans.get("docker.io/team/alpine:1").reason()).contains("CVE-2024-2001");
    assertThat(scans.get("gcr.io/distroless/base:1").reason()).contains("CVE-2024-1001");
    assertThat(scans.get("docker.io/team/rocky:1").findings())
        .extracting(Finding::id)
        .containsExactly("RLSA-2024:3001");
    assertThat(scans.values()).allMatch(s -> s.verdict() == ScanVerdict.VULNERABLE);
  }

  @Test
  void ubuntuLtsImagesAreRatedByUbuntusPriority() {
    images(
        LayeredImageArchive.builder()
            .image(
                "docker.io/team/jammy:1",
                Layer.gzip()
                    .file("etc/os-release", "NAME=\"Ubuntu\"\nID=ubuntu\nVERSION_ID=\"22.04\"\n")
                    .file("var/lib/dpkg/status", dpkgStatus("libssl3 3.0.2-0ubuntu1.10 openssl"))));

    ImageScan medium = scan("", "docker.io/team/jammy:1").get("docker.io/team/jammy:1");
    ImageScan onlyHigh =
        scan("vulnerabilities:\n  severities: [CRITICAL, HIGH]\n", "docker.io/team/jammy:1")
            .get("docker.io/team/jammy:1");

    assertThat(medium.verdict()).as(medium.reason()).isEqualTo(ScanVerdict.VULNERABLE);
    assertThat(medium.reason()).contains("CVE-2024-4001 (MEDIUM, openssl)");
    assertThat(onlyHigh.verdict()).as(onlyHigh.reason()).isEqualTo(ScanVerdict.CLEAN);
  }

  @Test
  void anImageWhoseTopLayerDeletesThePackageDatabaseIsNotScannedAndKept() {
    images(
        LayeredImageArchive.builder()
            .image(
                "docker.io/team/hidden:1",
                debianBase("openssl 3.0.11-1~deb12u1"),
                Layer.gzip().whiteout("var/lib/dpkg/status")));

    ImageScan hidden = scan("", "docker.io/team/hidden:1").get("docker.io/team/hidden:1");

    assertThat(hidden.verdict()).as(hidden.reason()).isEqualTo(ScanVerdict.NOT_SCANNED);
    assertThat(hidden.reason()).contains("no package database");
    assertThat(hidden.remove()).isFalse();
  }

  @Test
  void anEndOfLifeReleaseIsRemovedUnlessDeleteEolImagesIsOff() {
    String debian11 = ScanImages.DEBIAN_12.replace("12", "11").replace("bookworm", "bullseye");
    images(
        LayeredImageArchive.builder()
            .image(
                "docker.io/team/bullseye:1",
                Layer.gzip()
                    .file("etc/os-release", debian11)
                    .file("var/lib/dpkg/status", dpkgStatus("bash 5.1-2+deb11u1"))));

    ImageScan eol = scan("", "docker.io/team/bullseye:1").get("docker.io/team/bullseye:1");
    ImageScan kept =
        scan("deleteEOLImages: false\n", "docker.io/team/bullseye:1")
            .get("docker.io/team/bullseye:1");

    assertThat(eol.verdict()).as(eol.reason()).isEqualTo(ScanVerdict.END_OF_LIFE);
    assertThat(eol.reason()).contains("Debian 11", "2026-08-31");
    assertThat(eol.remove()).isTrue();
    assertThat(kept.verdict()).as(kept.reason()).isEqualTo(ScanVerdict.CLEAN);
    assertThat(kept.remove()).isFalse();
  }

  @Test
  void anImageWithNoOperatingSystemIsNotScannedAndKept() {
    images(
        LayeredImageArchive.builder()
            .image("docker.io/team/static:1", Layer.gzip().file("app", "\u007fELF")));

    ImageScan scan = scan("", "docker.io/team/static:1").get("docker.io/team/static:1");

    assertThat(scan.verdict()).as(scan.reason()).isEqualTo(ScanVerdict.NOT_SCANNED);
    assertThat(scan.reason()).isEqualTo("no operating system found");
    assertThat(scan.remove()).isFalse();
  }

  @Test
  void anImageWithLayersMissingFromTheStoreFailsAndGoesOnlyWithDeleteFailedImages() {
    Layer base = debianBase("bash 5.2.15-2+b2");
    images(LayeredImageArchive.builder().image("docker.io/team/discarded:1", base));
    node().ctr("content", "rm", base.digest());

    ImageScan deleted = scan("", "docker.io/team/discarded:1").get("docker.io/team/discarded:1");
    ImageScan kept =
        scan("deleteFailedImages: false\n", "docker.io/team/discarded:1")
            .get("docker.io/team/discarded:1");

    assertThat(deleted.verdict()).as(deleted.reason()).isEqualTo(ScanVerdict.FAILED);
    assertThat(deleted.reason()).contains(base.digest(), "not in containerd's content store");
    assertThat(deleted.remove()).isTrue();
    assertThat(kept.verdict()).as(kept.reason()).isEqualTo(ScanVerdict.FAILED);
    assertThat(kept.remove()).isFalse();
  }

  @Test
  void aCorruptLayerOnTheThirdOfFiveImagesFailsThatImageAndTheScanGoesOn() {
    var archive = LayeredImageArchive.builder();
    for (int i = 1; i <= 5; i++) {
      Layer own =
          i == 3 ? Layer.truncatedGzip("third") : Layer.gzip().file("srv/" + i, "image " + i);
      archive.image("docker.io/team/five:" + i, debianBase("openssl 3.0.11-1~deb12u1"), own);
    }
    importPacked(node(), archive, dir);

    List<ImageScan> scans =
        List.copyOf(
            scan(
                    "",
                    "docker.io/team/five:1",
                    "docker.io/team/five:2",
                    "docker.io/team/five:3",
                    "docker.io/team/five:4",
                    "docker.io/team/five:5")
                .values());

    assertThat(scans)
        .extracting(ImageScan::verdict)
        .containsExactly(
            ScanVerdict.VULNERABLE,
            ScanVerdict.VULNERABLE,
            ScanVerdict.FAILED,
            ScanVerdict.VULNERABLE,
            ScanVerdict.VULNERABLE);
  }

  @Test
  void anImageContainerdNoLongerHasIsReportedGoneAndKept() {
    ImageScan gone = scan("", "docker.io/team/vanished:1").get("docker.io/team/vanished:1");

    assertThat(gone.verdict()).as(gone.reason()).isEqualTo(ScanVerdict.GONE);
    assertThat(gone.remove()).isFalse();
  }
}
