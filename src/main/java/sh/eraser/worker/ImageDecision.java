package sh.eraser.worker;

import sh.eraser.images.NodeImage;

/**
 * One decision about one image: the image (null when a listed reference matched nothing on the
 * node), what the user asked for, the verdict and why.
 */
public record ImageDecision(NodeImage image, String requested, Verdict verdict, String reason) {

  public ImageDecision withOutcome(Verdict outcome, String why) {
    return new ImageDecision(image, requested, outcome, why);
  }

  /** The name to show a person for this decision. */
  public String displayName() {
    return image == null ? requested : image.displayName();
  }
}
