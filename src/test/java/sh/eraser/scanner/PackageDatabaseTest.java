package sh.eraser.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading dpkg, apk and rpm package databases. */
class PackageDatabaseTest {

  @Test
  void dpkgTakesTheSourcePackageAndSkipsRemovedPackages() {
    String status =
        "Package: libssl3\nStatus: install ok installed\nSource: openssl (3.0.11-1~deb12u2)\n"
            + "Version: 3.0.11-1~deb12u2+b1\nDescription: SSL\n continued line\n\n"
            + "Package: gone\nStatus: deinstall ok config-files\nVersion: 1.0\n\n"
            + "Package: half\nStatus: install ok half-installed\nVersion: 1.0\n\n"
            + "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n"
            + "Source: bash\n";

    assertThat(DpkgStatus.parse(status))
        .containsExactly(
            new InstalledPackage("libssl3", "3.0.11-1~deb12u2+b1", "openssl", "3.0.11-1~deb12u2"),
            InstalledPackage.of("bash", "5.2.15-2+b2"));
  }

  @Test
  void distrolessStanzasWithoutStatusCount() {
    assertThat(DpkgStatus.parse("Package: tzdata\nVersion: 2024a-0+deb12u1\n"))
        .containsExactly(InstalledPackage.of("tzdata", "2024a-0+deb12u1"));
  }

  @Test
  void apkTakesTheOriginAsSourcePackage() {
    String installed = "C:Q1=\nP:busybox-binsh\nV:1.36.1-r15\no:busybox\n\nP:musl\nV:1.2.4-r2\n";

    assertThat(ApkInstalled.parse(installed))
        .containsExactly(
            new InstalledPackage("busybox-binsh", "1.36.1-r15", "busybox", "1.36.1-r15"),
            InstalledPackage.of("musl", "1.2.4-r2"));
  }

  @Test
  void rpmHeadersGiveEpochVersionReleaseAndSourcePackage() throws Exception {
    byte[] header =
        RpmDatabases.header("openssl-libs", "1:3.0.7-24.el9", "openssl-3.0.7-24.el9.src.rpm");

    assertThat(RpmDatabase.header(header, "rpmdb.sqlite"))
        .isEqualTo(
            new InstalledPackage("openssl-libs", "1:3.0.7-24.el9", "openssl", "1:3.0.7-24.el9"));
    assertThat(RpmDatabase.sourceName("python3.11-3.11.5-1.el9.src.rpm", "x"))
        .isEqualTo("python3.11");
  }
}
