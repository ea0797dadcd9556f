package sh.eraser.scanner;

import java.util.List;

/**
 * The scanner's verdict on one image and why.
 *
 * @param target the image
 * @param verdict the verdict
 * @param reason why, in words: the worst findings, or the failure
 * @param os the distribution found, or null
 * @param findings the vulnerabilities that count under the configuration, worst first
 * @param remove whether the image goes to the remover
 * @param millis how long reading and judging the image took, in milliseconds
 */
public record ImageScan(
    ScanTarget target,
    ScanVerdict verdict,
    String reason,
    OperatingSystem os,
    List<Finding> findings,
    boolean remove,
    long millis) {

  public ImageScan {
    findings = List.copyOf(findings);
  }

  ImageScan(
      ScanTarget target,
      ScanVerdict verdict,
      String reason,
      OperatingSystem os,
      List<Finding> findings,
      boolean remove) {
    this(target, verdict, reason, os, findings, remove, 0);
  }

  ImageScan took(long ms) {
    return new ImageScan(target, verdict, reason, os, findings, remove, ms);
  }
}
