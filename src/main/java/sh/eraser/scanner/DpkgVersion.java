package sh.eraser.scanner;

import java.math.BigInteger;
import java.util.Comparator;

/**
 * Debian's version order ({@code [epoch:]upstream[-revision]}), as {@code dpkg --compare-versions}
 * applies it: epochs numerically, then upstream and revision each by alternating runs of non-digits
 * (where {@code ~} sorts before everything, even the end, and letters before other characters) and
 * digits (numerically).
 */
public final class DpkgVersion implements Comparator<String> {

  public static final DpkgVersion ORDER = new DpkgVersion();

  private DpkgVersion() {}

  @Override
  public int compare(String a, String b) {
    Parts x = Parts.of(a);
    Parts y = Parts.of(b);
    int c = x.epoch.compareTo(y.epoch);
    if (c != 0) {
      return c;
    }
    c = compareSegment(x.upstream, y.upstream);
    return c != 0 ? c : compareSegment(x.revision, y.revision);
  }

  private record Parts(BigInteger epoch, String upstream, String revision) {
    static Parts of(String version) {
      String v = version.strip();
      BigInteger epoch = BigInteger.ZERO;
      int colon = v.indexOf(':');
      if (colon > 0 && v.substring(0, colon).chars().allMatch(Character::isDigit)) {
        epoch = new BigInteger(v.substring(0, colon));
        v = v.substring(colon + 1);
      }
      int dash = v.lastIndexOf('-');
      return dash < 0
          ? new Parts(epoch, v, "")
          : new Parts(epoch, v.substring(0, dash), v.substring(dash + 1));
    }
  }

  static int compareSegment(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      // The non-digit run, character by character.
      while ((i < a.length() && !digit(a.charAt(i))) || (j < b.length() && !digit(b.charAt(j)))) {
        int wa = weight(a, i);
        int wb = weight(b, j);
        if (wa != wb) {
          return Integer.compare(wa, wb);
        }
        i++;
        j++;
      }
      // The digit run, as a number of any length.
      int si = i;
      while (i < a.length() && digit(a.charAt(i))) {
        i++;
      }
      int sj = j;
      while (j < b.length() && digit(b.charAt(j))) {
        j++;
      }
      int c = number(a, si, i).compareTo(number(b, sj, j));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** The weight of the character at {@code i}, where the end and a digit weigh the same. */
  private static int weight(String s, int i) {
    if (i >= s.length()) {
      return 0;
    }
    char c = s.charAt(i);
    if (digit(c)) {
      return 0;
    }
    if (Character.isLetter(c) && c < 128) {
      return c;
    }
    if (c == '~') {
      return -1;
    }
    return c + 256;
  }

  private static BigInteger number(String s, int from, int to) {
    return from == to ? BigInteger.ZERO : new BigInteger(s.substring(from, to));
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }
}
