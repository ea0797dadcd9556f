package sh.eraser.scanner;

import java.util.Comparator;
import java.util.List;

/**
 * Alpine's version order ({@code 1.2.3a_rc1-r4}), as apk applies it: numeric components (those
 * after the first that start with {@code 0} compare by their leading zeros first), an optional
 * letter, suffixes ({@code _alpha < _beta < _pre < _rc <} none {@code < _cvs < _svn < _git < _hg <
 * _p}) with their numbers, then the {@code -r} revision. A version that stops being valid sorts
 * below one that goes on.
 */
public final class ApkVersion implements Comparator<String> {

  public static final ApkVersion ORDER = new ApkVersion();

  private static final List<String> PRE_SUFFIXES = List.of("alpha", "beta", "pre", "rc");
  private static final List<String> POST_SUFFIXES = List.of("cvs", "svn", "git", "hg", "p");

  // Token kinds, in the order apk ranks them when one version runs out before the other.
  private static final int INVALID = -1;
  private static final int DIGIT_OR_ZERO = 0;
  private static final int DIGIT = 1;
  private static final int LETTER = 2;
  private static final int SUFFIX = 3;
  private static final int SUFFIX_NO = 4;
  private static final int REVISION_NO = 5;
  private static final int END = 6;

  private ApkVersion() {}

  @Override
  public int compare(String a, String b) {
    Tokens x = new Tokens(stripHash(a));
    Tokens y = new Tokens(stripHash(b));
    long av = 0;
    long bv = 0;
    while (x.type == y.type && x.type != END && x.type != INVALID && av == bv) {
      av = x.next();
      bv = y.next();
    }
    if (av != bv) {
      return av < bv ? -1 : 1;
    }
    if (x.type == y.type) {
      return 0;
    }
    // Equal so far: the version that goes on is newer, unless it goes on with a pre-release.
    int xt = x.type;
    int yt = y.type;
    if (xt == SUFFIX && x.next() < 0) {
      return -1;
    }
    if (yt == SUFFIX && y.next() < 0) {
      return 1;
    }
    return Integer.compare(yt, xt);
  }

  /**
   * The {@code ~hash} part of a version names a commit; it does not order.
   *
   * <p>Limitation: apk's ordering was written from its rules, not checked against apk itself
   * (Debian does not package apk-tools); versions apk calls invalid may sort differently.
   */
  private static String stripHash(String version) {
    int tilde = version.indexOf('~');
    if (tilde < 0) {
      return version;
    }
    int dash = version.indexOf("-r", tilde);
    return version.substring(0, tilde) + (dash < 0 ? "" : version.substring(dash));
  }

  /** A cursor over a version string, knowing what kind of token comes next. */
  private static final class Tokens {
    private final String s;
    private int pos;
    int type = DIGIT;

    Tokens(String s) {
      this.s = s;
      if (s.isEmpty()) {
        type = END;
      }
    }

    /** Reads the token of the current kind and works out the kind of the one after it. */
    long next() {
      long value = 0;
      int i = pos;
      int following = INVALID;
      switch (type) {
        case DIGIT_OR_ZERO:
          // A component with leading zeros ("01") ranks by how many, below any plain number.
          if (i + 1 < s.length() && s.charAt(i) == '0' && Character.isDigit(s.charAt(i + 1))) {
            while (i < s.length() && s.charAt(i) == '0') {
              i++;
            }
            following = DIGIT;
            value = -(i - pos);
            break;
          }
        // A component without leading zeros reads as a number.
        // fall through
        case DIGIT:
        case SUFFIX_NO:
        case REVISION_NO:
          while (i < s.length() && Character.isDigit(s.charAt(i)) && i - pos < 18) {
            value = value * 10 + (s.charAt(i) - '0');
            i++;
          }
          break;
        case LETTER:
          value = s.charAt(i);
          i++;
          break;
        case SUFFIX:
          int pre = match(PRE_SUFFIXES, i);
          if (pre >= 0) {
            value = pre - PRE_SUFFIXES.size();
            i += PRE_SUFFIXES.get(pre).length();
            break;
          }
          int post = match(POST_SUFFIXES, i);
          if (post >= 0) {
            value = post;
            i += POST_SUFFIXES.get(post).length();
            break;
          }
          type = INVALID;
          return -1;
        default:
          type = INVALID;
          return -1;
      }
      pos = i;
      if (pos >= s.length()) {
        type = END;
      } else if (following != INVALID) {
        type = following;
      } else {
        advance();
      }
      return value;
    }

    private int match(List<String> suffixes, int at) {
      for (int k = 0; k < suffixes.size(); k++) {
        if (s.startsWith(suffixes.get(k), at)) {
          return k;
        }
      }
      return -1;
    }

    /** Decides the next token's kind from the separator or character at the cursor. */
    private void advance() {
      char c = s.charAt(pos);
      if ((type == DIGIT || type == DIGIT_OR_ZERO) && c >= 'a' && c <= 'z') {
        type = LETTER;
        return;
      }
      if (type == LETTER && Character.isDigit(c)) {
        type = DIGIT;
        return;
      }
      if (type == SUFFIX && Character.isDigit(c)) {
        type = SUFFIX_NO;
        return;
      }
      int kind = INVALID;
      if (c == '.') {
        kind = DIGIT_OR_ZERO;
      } else if (c == '_') {
        kind = SUFFIX;
      } else if (c == '-' && pos + 1 < s.length() && s.charAt(pos + 1) == 'r') {
        kind = REVISION_NO;
        pos++;
      }
      pos++;
      type = kind;
    }
  }
}
