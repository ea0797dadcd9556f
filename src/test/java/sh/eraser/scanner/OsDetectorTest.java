package sh.eraser.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Naming the distribution and its OSV ecosystem from an image's files. */
class OsDetectorTest {

  private static Optional<OperatingSystem> detect(Map<String, String> files) {
    return OsDetector.detect(
        ImageFiles.merge(
            List.of(new LayerContents(files, Map.of(), Map.of(), Set.of(), Set.of()))));
  }

  @Test
  void readsOsReleaseAndNamesTheEcosystem() {
    assertThat(detect(Map.of("usr/lib/os-release", ScanImages.DEBIAN_12)))
        .map(os -> os.ecosystem().orElseThrow())
        .hasValue("Debian:12");
    assertThat(detect(Map.of("etc/os-release", ScanImages.ALPINE_319)))
        .map(os -> os.ecosystem().orElseThrow())
        .hasValue("Alpine:v3.22");
    assertThat(detect(Map.of("etc/os-release", "ID=ubuntu\nVERSION_ID=\"22.04\"\n")))
        .map(os -> os.ecosystem().orElseThrow())
        .hasValue("Ubuntu:22.04:LTS");
    assertThat(detect(Map.of("etc/os-release", "ID=ubuntu\nVERSION_ID=\"23.10\"\n")))
        .map(os -> os.ecosystem().orElseThrow())
        .hasValue("Ubuntu:23.10");
    assertThat(detect(Map.of("etc/os-release", "ID=\"rocky\"\nVERSION_ID=\"9.3\"\n")))
        .map(os -> os.ecosystem().orElseThrow())
        .hasValue("Rocky Linux:9");
  }

  @Test
  void fallsBackToTheReleaseFilesOfOlderImages() {
    assertThat(detect(Map.of("etc/debian_version", "11.9\n")))
        .map(OperatingSystem::name)
        .hasValue("Debian 11");
    assertThat(detect(Map.of("etc/alpine-release", "3.18.4\n")))
        .map(OperatingSystem::release)
        .hasValue("3.18");
    assertThat(detect(Map.of("etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=20.04\n")))
        .map(OperatingSystem::release)
        .hasValue("20.04");
  }

  @Test
  void debianTestingHasNoReleaseToLookUp() {
    Optional<OperatingSystem> sid =
        detect(
            Map.of(
                "etc/os-release", "ID=debian\nPRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\n",
                "etc/debian_version", "trixie/sid\n"));

    assertThat(sid).map(OperatingSystem::ecosystem).hasValue(Optional.empty());
  }

  @Test
  void anUnknownDistributionHasNoEcosystemAndNoFilesNoOs() {
    assertThat(detect(Map.of("etc/os-release", "ID=gentoo\n")))
        .map(OperatingSystem::baseEcosystem)
        .hasValue(Optional.empty());
    assertThat(detect(Map.of())).isEmpty();
  }
}
