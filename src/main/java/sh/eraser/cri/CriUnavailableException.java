package sh.eraser.cri;

/** The container runtime cannot be reached at all: missing socket, no permission, no answer. */
public class CriUnavailableException extends CriException {

  public CriUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public CriUnavailableException(String message) {
    super(message);
  }
}
