package sh.eraser.config;

import java.util.List;

/** Signals a configuration document that cannot be used; each problem names its key and value. */
public class InvalidConfigException extends RuntimeException {

  private final List<String> problems;

  /** Creates the exception for one or more problems, each of the form {@code key.path: what}. */
  public InvalidConfigException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Creates the exception for a single problem. */
  public InvalidConfigException(String problem) {
    this(List.of(problem));
  }

  /** Every problem found, in document order, each naming its key path. */
  public List<String> problems() {
    return problems;
  }
}
