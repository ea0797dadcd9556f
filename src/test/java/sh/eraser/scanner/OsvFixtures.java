package sh.eraser.scanner;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** OSV databases made in the test: records as osv.dev exports them, zipped per ecosystem. */
final class OsvFixtures {

  static final String CVSS_CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  static final String CVSS_HIGH = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N";
  static final String CVSS_MEDIUM = "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:L/I:L/A:N";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, List<Map<String, Object>>> byBase = new LinkedHashMap<>();

  static OsvFixtures create() {
    return new OsvFixtures();
  }

  /**
   * A record affecting {@code pkg} in {@code ecosystem} (such as {@code Debian:12}) from
   * introduction to {@code fixed} (null: not fixed yet), rated by a CVSS v3 vector.
   */
  OsvFixtures advisory(String id, String ecosystem, String pkg, String fixed, String cvssVector) {
    Map<String, Object> record = record(id, ecosystem, pkg, fixed);
    if (cvssVector != null) {
      record.put("severity", List.of(Map.of("type", "CVSS_V3", "score", cvssVector)));
    }
    return add(ecosystem, record);
  }

  /** A Debian record rated by the security tracker's urgency. */
  OsvFixtures debianUrgency(String id, String ecosystem, String pkg, String fixed, String urgency) {
    Map<String, Object> record = record(id, ecosystem, pkg, fixed);
    @SuppressWarnings("unchecked")
    Map<String, Object> affected = ((List<Map<String, Object>>) record.get("affected")).get(0);
    affected.put("ecosystem_specific", Map.of("urgency", urgency));
    record.put("severity", List.of(Map.of("type", "CVSS_V3", "score", CVSS_CRITICAL)));
    return add(ecosystem, record);
  }

  /** An Ubuntu record rated by Ubuntu's priority, with a CVSS vector that says otherwise. */
  OsvFixtures ubuntuPriority(
      String id, String ecosystem, String pkg, String fixed, String priority) {
    Map<String, Object> record = record(id, ecosystem, pkg, fixed);
    record.put(
        "severity",
        List.of(
            Map.of("type", "Ubuntu", "score", priority),
            Map.of("type", "CVSS_V3", "score", CVSS_CRITICAL)));
    return add(ecosystem, record);
  }

  /** Adds a record as given (for withdrawn or odd records). */
  OsvFixtures raw(String base, Map<String, Object> record) {
    byBase.computeIfAbsent(base, b -> new ArrayList<>()).add(record);
    return this;
  }

  private OsvFixtures add(String ecosystem, Map<String, Object> record) {
    return raw(ecosystem.substring(0, ecosystem.indexOf(':')), record);
  }

  static Map<String, Object> record(String id, String ecosystem, String pkg, String fixed) {
    List<Map<String, String>> events = new ArrayList<>();
    events.add(Map.of("introduced", "0"));
    if (fixed != null) {
      events.add(Map.of("fixed", fixed));
    }
    Map<String, Object> affected = new LinkedHashMap<>();
    affected.put("package", Map.of("ecosystem", ecosystem, "name", pkg));
    affected.put("ranges", List.of(Map.of("type", "ECOSYSTEM", "events", events)));
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("schema_version", "1.6.0");
    record.put("id", id);
    record.put("modified", "2026-11-01T00:00:00Z");
    record.put("aliases", List.of("CVE-" + id.replaceAll(".*CVE-", "")));
    record.put("affected", new ArrayList<>(List.of(affected)));
    return record;
  }

  /** Writes {@code <dir>/<Base>/all.zip} for every base ecosystem; returns {@code dir}. */
  Path writeTo(Path dir) {
    try {
      for (var base : byBase.entrySet()) {
        Path zip = Files.createDirectories(dir.resolve(base.getKey())).resolve("all.zip");
        writeZip(zip, base.getValue());
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void writeZip(Path zip, List<Map<String, Object>> records) throws IOException {
    try (OutputStream file = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (Map<String, Object> record : records) {
        out.putNextEntry(new ZipEntry(record.get("id") + ".json"));
        out.write(JSON.writeValueAsBytes(record));
        out.closeEntry();
      }
    }
  }
}
