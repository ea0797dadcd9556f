package sh.eraser.images;

/** Signals that a user-written image reference or pattern cannot be understood. */
public class InvalidImageReferenceException extends IllegalArgumentException {

  private final String input;

  /** Creates the exception for {@code input}; {@code problem} says what is wrong with it. */
  public InvalidImageReferenceException(String input, String problem) {
    super("invalid image reference \"" + input + "\": " + problem);
    this.input = input;
  }

  /** The text that failed to parse, exactly as given. */
  public String input() {
    return input;
  }
}
