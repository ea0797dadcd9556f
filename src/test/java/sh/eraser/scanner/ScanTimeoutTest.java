package sh.eraser.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.config.ScannerConfig;
import sh.eraser.testing.LayeredImageArchive;
import sh.eraser.testing.LayeredImageArchive.Layer;

/** The scanner's time budgets, over images whose layers a fake containerd serves slowly. */
class ScanTimeoutTest {

  @TempDir Path dir;

  private List<ImageScan> scan(int images, Duration layerDelay, String timeoutYaml)
      throws Exception {
    var archive = LayeredImageArchive.builder();
    for (int i = 0; i < images; i++) {
      archive.image(
          "docker.io/team/slow:" + i,
          ScanImages.debianBase("openssl 3.0.11-1~deb12u1"),
          Layer.gzip().file("srv/" + i, "image " + i));
    }
    Path tar = archive.write(dir.resolve("images.tar"));
    Path db =
        OsvFixtures.create()
            .advisory(
                "DEBIAN-CVE-2024-1",
                "Debian:12",
                "openssl",
                "3.0.11-1~deb12u2",
                OsvFixtures.CVSS_HIGH)
            .writeTo(dir.resolve("osv"));
    ScannerConfig config =
        ScannerConfig.parse("dbRepo: " + db.toUri() + "\ntimeout:\n" + timeoutYaml).config();
    try (SlowContainerd fake = new SlowContainerd(dir.resolve("c.sock"), tar, layerDelay);
        Scanner scanner =
            new Scanner(
                new Scanner.Settings(
                    config,
                    fake.socket(),
                    "k8s.io",
                    new Platform("linux", "amd64", ""),
                    Clock.systemUTC(),
                    null,
                    Duration.ofSeconds(30)))) {
      return scanner.scan(
          IntStream.range(0, images)
              .mapToObj(i -> new ScanTarget("", List.of("docker.io/team/slow:" + i)))
              .toList());
    }
  }

  @Test
  void anImageSlowerThanPerImageFailsAndIsRemovedByDefault() throws Exception {
    List<ImageScan> scans = scan(2, Duration.ofSeconds(3), "  perImage: 1s\n");

    assertThat(scans)
        .allSatisfy(
            s -> {
              assertThat(s.verdict()).isEqualTo(ScanVerdict.FAILED);
              assertThat(s.reason()).contains("timeout.perImage");
              assertThat(s.remove()).isTrue();
            });
  }

  @Test
  void imagesAfterTheTotalBudgetFailWithoutBeingRead() throws Exception {
    List<ImageScan> scans = scan(10, Duration.ofMillis(600), "  total: 3s\n");

    assertThat(scans.get(0).verdict()).as(scans.get(0).reason()).isEqualTo(ScanVerdict.VULNERABLE);
    assertThat(scans.get(9).verdict()).isEqualTo(ScanVerdict.FAILED);
    assertThat(scans.get(9).reason()).contains("timeout.total of 3s was used up");
    assertThat(scans)
        .filteredOn(s -> s.verdict() == ScanVerdict.FAILED)
        .allSatisfy(s -> assertThat(s.reason()).containsAnyOf("timeout.total", "time"));
  }
}
