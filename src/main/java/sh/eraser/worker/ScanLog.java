package sh.eraser.worker;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import sh.eraser.scanner.Finding;
import sh.eraser.scanner.ImageScan;
import sh.eraser.scanner.ScanVerdict;

/** One JSON log line per scanned image: its verdict, and why (the CVE IDs, or the failure). */
final class ScanLog {

  private static final Logger log = LoggerFactory.getLogger(ScanLog.class);

  /** How many CVE IDs a line lists. */
  private static final int MAX_IDS = 50;

  private ScanLog() {}

  static void log(ImageScan scan, boolean dryRun) {
    Level level = scan.verdict() == ScanVerdict.FAILED ? Level.WARN : Level.INFO;
    List<String> ids = scan.findings().stream().limit(MAX_IDS).map(Finding::cve).toList();
    var line =
        log.atLevel(level)
            .addKeyValue("decision", scan.verdict().label())
            .addKeyValue("imageId", scan.target().imageId())
            .addKeyValue("names", scan.target().names())
            .addKeyValue("handedOver", scan.remove() && !dryRun)
            .addKeyValue("reason", scan.reason())
            .addKeyValue("tookMs", scan.millis());
    if (scan.os() != null) {
      line = line.addKeyValue("os", scan.os().name());
    }
    if (!ids.isEmpty()) {
      line = line.addKeyValue("vulnerabilities", ids).addKeyValue("count", scan.findings().size());
    }
    if (dryRun) {
      line = line.addKeyValue("dryRun", true);
    }
    line.log("{} {}: {}", scan.verdict().label(), scan.target().displayName(), scan.reason());
  }
}
