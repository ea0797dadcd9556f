package sh.eraser.cri;

/** A CRI call failed; the message says which call, on which socket, and why. */
public class CriException extends RuntimeException {

  public CriException(String message, Throwable cause) {
    super(message, cause);
  }

  public CriException(String message) {
    super(message);
  }
}
