package sh.eraser.scanner;

import java.io.IOException;

/** The content store does not hold a blob an image needs (discarded layers, or collected). */
public final class BlobMissingException extends IOException {

  public BlobMissingException(String digest) {
    super("blob " + digest + " is not in containerd's content store");
  }
}
