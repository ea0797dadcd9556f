package sh.eraser.scanner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import sh.eraser.config.ScannerConfig.Severity;

/**
 * OSV advisories held in memory, indexed by ecosystem and package name. Only the ecosystems of the
 * images being scanned are kept: a base ecosystem's zip holds every release of it.
 */
public final class OsvDatabase {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Map<String, List<Advisory>>> byEcosystem = new HashMap<>();
  private int records;

  private OsvDatabase() {}

  public static OsvDatabase empty() {
    return new OsvDatabase();
  }

  /**
   * Reads the records of one {@code all.zip}, keeping the affected entries of the given ecosystems.
   *
   * @throws IOException when the file is not a zip of OSV JSON records
   */
  public OsvDatabase add(Path zip, Set<String> ecosystems) throws IOException {
    try (ZipFile file = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.isDirectory() || !entry.getName().endsWith(".json")) {
          continue;
        }
        JsonNode record;
        try (InputStream in = file.getInputStream(entry)) {
          record = JSON.readTree(in);
        } catch (IOException e) {
          throw new IOException(entry.getName() + " in " + zip + " is not valid JSON", e);
        }
        addRecord(record, ecosystems);
      }
    }
    return this;
  }

  /** How many records were read (all ecosystems, withdrawn ones included). */
  public int records() {
    return records;
  }

  /** How many (ecosystem, package, advisory) entries are held. */
  public int entries() {
    return byEcosystem.values().stream()
        .flatMap(m -> m.values().stream())
        .mapToInt(List::size)
        .sum();
  }

  /** The advisories for a package of an ecosystem, such as ("Debian:12", "openssl"). */
  public List<Advisory> advisories(String ecosystem, String packageName) {
    return byEcosystem.getOrDefault(ecosystem, Map.of()).getOrDefault(packageName, List.of());
  }

  /** Whether any advisory of this ecosystem was read. */
  public boolean covers(String ecosystem) {
    return byEcosystem.containsKey(ecosystem);
  }

  void addRecord(JsonNode record, Set<String> ecosystems) {
    records++;
    if (record.hasNonNull("withdrawn")) {
      return;
    }
    String id = record.path("id").asText();
    List<String> aliases = new ArrayList<>();
    record.path("aliases").forEach(a -> aliases.add(a.asText()));
    for (JsonNode affected : record.path("affected")) {
      String ecosystem = affected.path("package").path("ecosystem").asText();
      if (!ecosystems.contains(ecosystem)) {
        continue;
      }
      String name = affected.path("package").path("name").asText();
      Advisory advisory =
          new Advisory(
              id.intern(),
              List.copyOf(aliases),
              severity(record, affected),
              ranges(affected),
              versions(affected));
      byEcosystem
          .computeIfAbsent(ecosystem.intern(), e -> new HashMap<>())
          .computeIfAbsent(name.intern(), n -> new ArrayList<>(2))
          .add(advisory);
    }
  }

  private static List<List<Advisory.Event>> ranges(JsonNode affected) {
    List<List<Advisory.Event>> ranges = new ArrayList<>();
    for (JsonNode range : affected.path("ranges")) {
      if (!"ECOSYSTEM".equals(range.path("type").asText())) {
        continue;
      }
      List<Advisory.Event> events = new ArrayList<>();
      for (JsonNode event : range.path("events")) {
        event
            .fields()
            .forEachRemaining(
                f -> {
                  Advisory.Kind kind =
                      switch (f.getKey()) {
                        case "introduced" -> Advisory.Kind.INTRODUCED;
                        case "fixed" -> Advisory.Kind.FIXED;
                        case "last_affected" -> Advisory.Kind.LAST_AFFECTED;
                        case "limit" -> Advisory.Kind.LIMIT;
                        default -> null;
                      };
                  if (kind != null) {
                    events.add(new Advisory.Event(kind, f.getValue().asText().intern()));
                  }
                });
      }
      ranges.add(List.copyOf(events));
    }
    return List.copyOf(ranges);
  }

  /**
   * The explicit version list; osv.dev also enumerates the versions its ranges cover, so with a
   * range present the list adds nothing and is not kept.
   */
  // Limitation: with a range present the explicit list is dropped to save memory; a record
  // whose list names versions its ranges do not cover would be missed.
  private static Set<String> versions(JsonNode affected) {
    boolean hasRange = false;
    for (JsonNode range : affected.path("ranges")) {
      hasRange |= "ECOSYSTEM".equals(range.path("type").asText());
    }
    if (hasRange) {
      return Set.of();
    }
    Set<String> versions = new HashSet<>();
    affected.path("versions").forEach(v -> versions.add(v.asText()));
    return Set.copyOf(versions);
  }

  /**
   * The distribution's rating, else the highest CVSS band, else UNKNOWN.
   *
   * <p>Limitation: a record without a rating of its own (Debian's DSA and DLA records, for one)
   * does not borrow one from the record its {@code upstream} or {@code aliases} name.
   */
  static Severity severity(JsonNode record, JsonNode affected) {
    Optional<Severity> vendor =
        debianUrgency(affected.path("ecosystem_specific").path("urgency").asText(""))
            .or(() -> ubuntuPriority(affected.path("severity")))
            .or(() -> ubuntuPriority(record.path("severity")));
    if (vendor.isPresent()) {
      return vendor.get();
    }
    return cvss(affected.path("severity"))
        .or(() -> cvss(record.path("severity")))
        .orElse(Severity.UNKNOWN);
  }

  /** Debian's urgencies, "low**" and the like included; "not yet assigned" rates nothing. */
  static Optional<Severity> debianUrgency(String urgency) {
    String u = urgency.toLowerCase(Locale.ROOT).replace("*", "").strip();
    return Optional.ofNullable(
        switch (u) {
          case "unimportant", "low" -> Severity.LOW;
          case "medium" -> Severity.MEDIUM;
          case "high" -> Severity.HIGH;
          default -> null;
        });
  }

  private static Optional<Severity> ubuntuPriority(JsonNode severities) {
    for (JsonNode s : severities) {
      if ("Ubuntu".equals(s.path("type").asText())) {
        Severity severity =
            switch (s.path("score").asText().toLowerCase(Locale.ROOT)) {
              case "negligible", "low" -> Severity.LOW;
              case "medium" -> Severity.MEDIUM;
              case "high" -> Severity.HIGH;
              case "critical" -> Severity.CRITICAL;
              default -> null;
            };
        if (severity != null) {
          return Optional.of(severity);
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Severity> cvss(JsonNode severities) {
    Severity best = null;
    for (JsonNode s : severities) {
      if (s.path("type").asText().startsWith("CVSS_")) {
        Optional<Severity> band = Cvss.severity(s.path("score").asText());
        if (band.isPresent() && (best == null || band.get().ordinal() < best.ordinal())) {
          best = band.get();
        }
      }
    }
    return Optional.ofNullable(best);
  }
}
