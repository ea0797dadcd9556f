package sh.eraser.scanner;

/**
 * containerd's own API cannot be reached on the runtime socket (no socket, no answer, or a runtime
 * that does not serve it, such as CRI-O). No image can be read, so none is judged: taking every
 * image as "failed" would remove them all under the default {@code deleteFailedImages}.
 */
public final class ContainerdUnavailableException extends RuntimeException {

  public ContainerdUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
