package sh.eraser.scanner;

import java.io.IOException;

/** An image's scan ran past its time budget. */
public final class ScanTimeoutException extends IOException {

  public ScanTimeoutException(String message) {
    super(message);
  }
}
