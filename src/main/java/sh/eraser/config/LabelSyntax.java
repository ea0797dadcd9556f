package sh.eraser.config;

import java.util.regex.Pattern;

/**
 * The syntax of Kubernetes label keys and values.
 *
 * @see <a
 *     href="https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set">Labels:
 *     syntax and character set</a>
 */
final class LabelSyntax {

  private static final int MAX_NAME = 63;
  private static final int MAX_PREFIX = 253;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private LabelSyntax() {}

  /**
   * Returns the key when it is a valid label key: {@code name} or {@code prefix/name}.
   *
   * @throws IllegalArgumentException naming the key and what is wrong with it
   */
  static String checkKey(String key) {
    int slash = key.indexOf('/');
    String name = key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.length() > MAX_PREFIX || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        throw invalidKey(key, "the prefix before '/' must be a lowercase DNS subdomain");
      }
    }
    if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
      throw invalidKey(
          key,
          "the name must be 1 to 63 letters, digits, '-', '_' or '.', "
              + "starting and ending with a letter or digit");
    }
    return key;
  }

  /**
   * Returns the value when it is a valid label value (which may be empty).
   *
   * @throws IllegalArgumentException naming the value and what is wrong with it
   */
  static String checkValue(String value) {
    if (!value.isEmpty() && (value.length() > MAX_NAME || !NAME.matcher(value).matches())) {
      throw new IllegalArgumentException(
          Problems.show(value)
              + " is not a valid label value (up to 63 letters, digits, '-', '_' or '.', "
              + "starting and ending with a letter or digit)");
    }
    return value;
  }

  private static IllegalArgumentException invalidKey(String key, String why) {
    return new IllegalArgumentException(
        Problems.show(key) + " is not a valid label key (" + why + ")");
  }
}
