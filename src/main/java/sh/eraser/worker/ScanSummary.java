package sh.eraser.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import sh.eraser.scanner.Finding;
import sh.eraser.scanner.ImageScan;
import sh.eraser.scanner.ScanVerdict;

/**
 * What the scanner container concluded, small enough for its termination message: counts per
 * verdict, how many images went to the remover, the worst findings, and the images that could not
 * be scanned.
 *
 * @param worst the worst finding of each vulnerable image, worst first, as "image: CVE (SEVERITY,
 *     package)"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScanSummary(
    String component,
    String node,
    boolean dryRun,
    int scanned,
    int vulnerable,
    int endOfLife,
    int clean,
    int notScanned,
    int scanFailed,
    int notOnNode,
    int handedOver,
    List<String> worst,
    List<String> scanFailedImages,
    Integer moreImages,
    String error) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ERROR_CHARS = 1500;

  static ScanSummary of(String node, boolean dryRun, List<ImageScan> scans) {
    int[] counts = new int[ScanVerdict.values().length];
    scans.forEach(s -> counts[s.verdict().ordinal()]++);
    List<ImageScan> vulnerable =
        scans.stream()
            .filter(s -> !s.findings().isEmpty() && s.remove())
            .sorted(
                (a, b) -> a.findings().get(0).severity().compareTo(b.findings().get(0).severity()))
            .toList();
    List<String> worst = new ArrayList<>();
    for (ImageScan scan : vulnerable) {
      Finding f = scan.findings().get(0);
      worst.add(
          scan.target().displayName()
              + ": "
              + f.cve()
              + " ("
              + f.severity()
              + ", "
              + f.packageName()
              + ")");
    }
    List<String> failedNames =
        scans.stream()
            .filter(s -> s.verdict() == ScanVerdict.FAILED)
            .map(s -> s.target().displayName())
            .toList();
    return new ScanSummary(
        "scanner",
        node,
        dryRun,
        scans.size() - counts[ScanVerdict.GONE.ordinal()],
        counts[ScanVerdict.VULNERABLE.ordinal()],
        counts[ScanVerdict.END_OF_LIFE.ordinal()],
        counts[ScanVerdict.CLEAN.ordinal()],
        counts[ScanVerdict.NOT_SCANNED.ordinal()],
        counts[ScanVerdict.FAILED.ordinal()],
        counts[ScanVerdict.GONE.ordinal()],
        dryRun ? 0 : (int) scans.stream().filter(ImageScan::remove).count(),
        worst,
        failedNames,
        null,
        null);
  }

  static ScanSummary failure(String node, boolean dryRun, String error) {
    String bounded =
        error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) + "…" : error;
    return new ScanSummary(
        "scanner", node, dryRun, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(), null, bounded);
  }

  /** The JSON for the termination message, dropping names from the end of the lists to fit. */
  String toBoundedJson() {
    List<String> findings = new ArrayList<>(worst);
    List<String> failedNames = new ArrayList<>(scanFailedImages);
    int dropped = 0;
    while (true) {
      ScanSummary bounded =
          new ScanSummary(
              component,
              node,
              dryRun,
              scanned,
              vulnerable,
              endOfLife,
              clean,
              notScanned,
              scanFailed,
              notOnNode,
              handedOver,
              findings,
              failedNames,
              dropped == 0 ? null : dropped,
              error);
      String json = bounded.json();
      if (json.getBytes(StandardCharsets.UTF_8).length <= WorkerSummary.MAX_BYTES
          || (findings.isEmpty() && failedNames.isEmpty())) {
        return json;
      }
      List<String> longer = findings.size() >= failedNames.size() ? findings : failedNames;
      longer.remove(longer.size() - 1);
      dropped++;
    }
  }

  private String json() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a scan summary", e);
    }
  }
}
