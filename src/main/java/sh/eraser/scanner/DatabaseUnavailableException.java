package sh.eraser.scanner;

/** The vulnerability database cannot be had; no image can be judged, so none is removed. */
public final class DatabaseUnavailableException extends RuntimeException {

  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
