package sh.eraser.config;

import java.util.ArrayList;
import java.util.List;
import sh.eraser.config.LabelSelector.Operator;
import sh.eraser.config.LabelSelector.Requirement;

/** Reads the string form of a label selector, one token at a time. */
final class LabelSelectorParser {

  private static final String SYMBOLS = "!=(),<>";

  private final String text;
  private final List<String> tokens;
  private int next;

  LabelSelectorParser(String text) {
    this.text = text;
    this.tokens = tokenize(text);
  }

  LabelSelector parse() {
    if (tokens.isEmpty()) {
      throw invalid("it is empty");
    }
    List<Requirement> requirements = new ArrayList<>();
    while (true) {
      requirements.add(requirement());
      if (atEnd()) {
        return new LabelSelector(requirements);
      }
      expect(",", "',' or the end");
    }
  }

  private Requirement requirement() {
    if (accept("!")) {
      return build(key("a key after '!'"), Operator.DOES_NOT_EXIST, List.of());
    }
    String key = key("a key");
    if (atEnd() || peek().equals(",")) {
      return build(key, Operator.EXISTS, List.of());
    }
    String operator = take("an operator (=, ==, !=, in, notin) after " + Problems.show(key));
    return switch (operator) {
      case "=", "==" -> build(key, Operator.EQUALS, List.of(value()));
      case "!=" -> build(key, Operator.NOT_EQUALS, List.of(value()));
      case "in" -> build(key, Operator.IN, set());
      case "notin" -> build(key, Operator.NOT_IN, set());
      default ->
          throw invalid(
              "expected an operator (=, ==, !=, in, notin) or ',' after "
                  + Problems.show(key)
                  + ", found "
                  + Problems.show(operator));
    };
  }

  /** A value after = or !=, which may be empty. */
  private String value() {
    return atEnd() || peek().equals(",") ? "" : word("a value");
  }

  private List<String> set() {
    expect("(", "'('");
    List<String> values = new ArrayList<>();
    do {
      values.add(word("a value"));
    } while (accept(","));
    if (atEnd()) {
      throw invalid("missing ')'");
    }
    expect(")", "',' or ')'");
    return values;
  }

  private String key(String what) {
    String word = word(what);
    if (word.equals("in") || word.equals("notin")) {
      throw invalid("expected " + what + ", found " + Problems.show(word));
    }
    return word;
  }

  private String word(String what) {
    String token = take(what);
    if (SYMBOLS.indexOf(token.charAt(0)) >= 0) {
      throw invalid("expected " + what + ", found " + Problems.show(token));
    }
    return token;
  }

  private Requirement build(String key, Operator operator, List<String> values) {
    try {
      return new Requirement(key, operator, values);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private void expect(String token, String what) {
    String found = take(what);
    if (!found.equals(token)) {
      throw invalid("expected " + what + ", found " + Problems.show(found));
    }
  }

  private boolean accept(String token) {
    if (!atEnd() && peek().equals(token)) {
      next++;
      return true;
    }
    return false;
  }

  private String take(String what) {
    if (atEnd()) {
      throw invalid("expected " + what + " at the end");
    }
    return tokens.get(next++);
  }

  private String peek() {
    return tokens.get(next);
  }

  private boolean atEnd() {
    return next == tokens.size();
  }

  private IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException(Problems.show(text) + " is not a label selector: " + why);
  }

  /** Words, and the symbols {@code ! = == != ( ) ,} and {@code < >}. */
  // Limitation: key>n and key<n, which Kubernetes reads as numeric comparisons, are refused as
  // unexpected symbols: node filters have no use for them.
  private static List<String> tokenize(String text) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (SYMBOLS.indexOf(c) >= 0) {
        boolean pair = (c == '!' || c == '=') && text.startsWith("=", i + 1);
        tokens.add(text.substring(i, pair ? i + 2 : i + 1));
        i += pair ? 2 : 1;
      } else {
        int start = i;
        while (i < text.length()
            && !Character.isWhitespace(text.charAt(i))
            && SYMBOLS.indexOf(text.charAt(i)) < 0) {
          i++;
        }
        tokens.add(text.substring(start, i));
      }
    }
    return tokens;
  }
}
