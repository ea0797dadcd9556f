package sh.eraser.config;

import java.util.regex.Pattern;

/**
 * The syntax of Kubernetes resource quantities: a non-negative decimal number with an optional
 * binary ({@code Ki Mi Gi Ti Pi Ei}), decimal ({@code n u m k M G T P E}) or exponent ({@code e3})
 * suffix.
 *
 * @see <a href="https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/">
 *     Quantity</a>
 */
final class Quantity {

  private static final Pattern SYNTAX =
      Pattern.compile("\\+?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\\d+)?");

  private Quantity() {}

  /**
   * Returns the text when it is a quantity.
   *
   * @throws IllegalArgumentException naming the text otherwise
   */
  static String check(String text) {
    if (text.startsWith("-")) {
      throw new IllegalArgumentException(Problems.show(text) + " is negative");
    }
    if (!SYNTAX.matcher(text).matches()) {
      throw new IllegalArgumentException(
          Problems.show(text) + " is not a quantity (expected e.g. 25Mi, 100m, 1.5, 2Gi, 0)");
    }
    return text;
  }
}
