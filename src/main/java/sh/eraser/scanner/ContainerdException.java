package sh.eraser.scanner;

/** A containerd call failed for a reason other than the absence of what was asked for. */
public class ContainerdException extends RuntimeException {

  public ContainerdException(String message, Throwable cause) {
    super(message, cause);
  }
}
