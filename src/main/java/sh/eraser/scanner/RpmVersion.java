package sh.eraser.scanner;

import java.util.Comparator;

/**
 * rpm's version order ({@code [epoch:]version[-release]}): epochs numerically, then version and
 * release with rpmvercmp, which compares alternating runs of digits (numerically, beating letters)
 * and letters (as strings), where {@code ~} sorts before anything and {@code ^} after the end but
 * before anything else.
 */
public final class RpmVersion implements Comparator<String> {

  public static final RpmVersion ORDER = new RpmVersion();

  private RpmVersion() {}

  @Override
  public int compare(String a, String b) {
    String[] x = split(a);
    String[] y = split(b);
    int c = vercmp(x[0], y[0]);
    if (c != 0) {
      return c;
    }
    c = vercmp(x[1], y[1]);
    // As rpm.vercmp: a version without a release sorts below the same version with one.
    return c != 0 ? c : vercmp(x[2], y[2]);
  }

  /** epoch, version, release; the epoch defaults to 0. */
  private static String[] split(String evr) {
    String epoch = "0";
    String rest = evr.strip();
    int colon = rest.indexOf(':');
    if (colon >= 0) {
      epoch = colon == 0 ? "0" : rest.substring(0, colon);
      rest = rest.substring(colon + 1);
    }
    int dash = rest.lastIndexOf('-');
    return dash < 0
        ? new String[] {epoch, rest, ""}
        : new String[] {epoch, rest.substring(0, dash), rest.substring(dash + 1)};
  }

  /** rpm's rpmvercmp on one part. */
  static int vercmp(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while (i < a.length() && separator(a.charAt(i))) {
        i++;
      }
      while (j < b.length() && separator(b.charAt(j))) {
        j++;
      }
      boolean ta = i < a.length() && a.charAt(i) == '~';
      boolean tb = j < b.length() && b.charAt(j) == '~';
      if (ta || tb) {
        if (!ta) {
          return 1;
        }
        if (!tb) {
          return -1;
        }
        i++;
        j++;
        continue;
      }
      boolean ca = i < a.length() && a.charAt(i) == '^';
      boolean cb = j < b.length() && b.charAt(j) == '^';
      if (ca || cb) {
        if (i >= a.length()) {
          return -1;
        }
        if (j >= b.length()) {
          return 1;
        }
        if (!ca) {
          return 1;
        }
        if (!cb) {
          return -1;
        }
        i++;
        j++;
        continue;
      }
      if (i >= a.length() || j >= b.length()) {
        break;
      }
      boolean numeric = Character.isDigit(a.charAt(i));
      int ei = run(a, i, numeric);
      int ej = run(b, j, numeric);
      if (ej == j) {
        // b has a run of the other kind here: a number beats letters.
        return numeric ? 1 : -1;
      }
      String sa = a.substring(i, ei);
      String sb = b.substring(j, ej);
      int c;
      if (numeric) {
        sa = stripZeros(sa);
        sb = stripZeros(sb);
        c =
            sa.length() != sb.length()
                ? Integer.compare(sa.length(), sb.length())
                : sa.compareTo(sb);
      } else {
        c = sa.compareTo(sb);
      }
      if (c != 0) {
        return c < 0 ? -1 : 1;
      }
      i = ei;
      j = ej;
    }
    boolean restA = i < a.length();
    boolean restB = j < b.length();
    if (!restA && !restB) {
      return 0;
    }
    return restA ? 1 : -1;
  }

  private static int run(String s, int from, boolean digits) {
    int i = from;
    while (i < s.length() && (digits ? Character.isDigit(s.charAt(i)) : asciiLetter(s.charAt(i)))) {
      i++;
    }
    return i;
  }

  private static boolean separator(char c) {
    return !Character.isDigit(c) && !asciiLetter(c) && c != '~' && c != '^';
  }

  private static boolean asciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static String stripZeros(String s) {
    int k = 0;
    while (k < s.length() - 1 && s.charAt(k) == '0') {
      k++;
    }
    return s.substring(k);
  }
}
