package sh.eraser.worker;

/** What a worker decided for one image, in the words its logs and summaries use. */
public enum Verdict {
  REMOVED("removed"),
  COLLECTED("collected"),
  EXCLUDED("excluded"),
  IN_USE("in use"),
  NOT_ON_NODE("not on node"),
  FAILED("failed");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
