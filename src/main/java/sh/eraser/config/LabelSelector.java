package sh.eraser.config;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector in its string form, such as {@code kubernetes.io/os=windows} or
 * {@code tier in (web,api),!canary}: every requirement must hold for a set of labels to match.
 *
 * @see <a
 *     href="https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors">Label
 *     selectors</a>
 */
public record LabelSelector(List<Requirement> requirements) {

  /** Copies the requirements; a selector needs at least one. */
  public LabelSelector {
    requirements = List.copyOf(requirements);
    if (requirements.isEmpty()) {
      throw new IllegalArgumentException("a label selector needs at least one requirement");
    }
  }

  /**
   * Parses comma-joined requirements: {@code key}, {@code !key}, {@code key=value}, {@code
   * key==value}, {@code key!=value}, {@code key in (a,b)}, {@code key notin (a,b)}.
   *
   * @throws IllegalArgumentException whose message starts with the quoted text and says what is
   *     wrong
   */
  public static LabelSelector parse(String text) {
    return new LabelSelectorParser(text).parse();
  }

  /** Whether every requirement holds for these labels. */
  public boolean matches(Map<String, String> labels) {
    return requirements.stream().allMatch(requirement -> requirement.matches(labels));
  }

  /** The selector in canonical string form, which {@link #parse} reads back. */
  @Override
  public String toString() {
    return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
  }

  /** How a requirement compares a label with its values. */
  public enum Operator {
    EXISTS,
    DOES_NOT_EXIST,
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN
  }

  /**
   * One condition on one label key. {@code EQUALS} and {@code NOT_EQUALS} take one value, {@code
   * IN} and {@code NOT_IN} one or more, the others none.
   */
  public record Requirement(String key, Operator operator, List<String> values) {

    /** Checks the key, the values and their number; keeps the values sorted and distinct. */
    public Requirement {
      LabelSyntax.checkKey(key);
      values = List.copyOf(new TreeSet<>(values));
      values.forEach(LabelSyntax::checkValue);
      checkArity(operator, values.size());
    }

    private static void checkArity(Operator operator, int count) {
      boolean fits =
          switch (operator) {
            case EXISTS, DOES_NOT_EXIST -> count == 0;
            case EQUALS, NOT_EQUALS -> count == 1;
            case IN, NOT_IN -> count > 0;
          };
      if (!fits) {
        throw new IllegalArgumentException(operator + " cannot take " + count + " values");
      }
    }

    /** Whether the labels satisfy this requirement; a missing key satisfies only negations. */
    public boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
        case EQUALS, IN -> value != null && values.contains(value);
        case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
      };
    }

    @Override
    public String toString() {
      return switch (operator) {
        case EXISTS -> key;
        case DOES_NOT_EXIST -> "!" + key;
        case EQUALS -> key + "=" + values.get(0);
        case NOT_EQUALS -> key + "!=" + values.get(0);
        case IN -> key + " in (" + String.join(",", values) + ")";
        case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
      };
    }
  }
}
