package sh.eraser.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The demo's OSV records laid out as the scanner's {@code dbRepo} expects them. */
final class OsvDatabase {

  private OsvDatabase() {}

  /**
   * Zips each {@code <Ecosystem>/*.json} directory of {@code hack/demo-osv} into {@code
   * <target>/<Ecosystem>/all.zip} and returns {@code target}.
   */
  static Path ofDemoRecords(Path target) throws IOException {
    try (var ecosystems = Files.list(Path.of("hack/demo-osv"))) {
      for (Path ecosystem : ecosystems.filter(Files::isDirectory).toList()) {
        Path zip =
            Files.createDirectories(target.resolve(ecosystem.getFileName())).resolve("all.zip");
        try (var out = new ZipOutputStream(Files.newOutputStream(zip));
            var files = Files.list(ecosystem)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
            out.putNextEntry(new ZipEntry(file.getFileName().toString()));
            out.write(Files.readAllBytes(file));
            out.closeEntry();
          }
        }
      }
    }
    return target;
  }
}
