package sh.eraser.scanner;

/** What the scanner concluded about one image. */
public enum ScanVerdict {
  /** A package has a vulnerability of a severity the configuration counts. */
  VULNERABLE("vulnerable"),
  /** The distribution release no longer gets security fixes. */
  END_OF_LIFE("end of life"),
  /** Scanned, and nothing the configuration counts was found. */
  CLEAN("clean"),
  /** Nothing to scan: no operating system found, or one without advisories, or no packages. */
  NOT_SCANNED("not scanned"),
  /** The image could not be read or judged; never taken as clean. */
  FAILED("failed"),
  /** containerd no longer has the image. */
  GONE("not on node");

  private final String label;

  ScanVerdict(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
