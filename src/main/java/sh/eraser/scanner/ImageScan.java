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
 */
public record ImageScan(
    ScanTarget target,
    ScanVerdict verdict,
    String reason,
    OperatingSystem os,
    List<Finding> findings,
    boolean remove) {

  public ImageScan {
    findings = List.copyOf(findings);
  }
}
