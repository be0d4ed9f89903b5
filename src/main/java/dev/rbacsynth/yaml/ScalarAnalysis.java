package dev.rbacsynth.yaml;

import java.util.Arrays;

/**
 * What libyaml's emitter (as embedded in gopkg.in/yaml.v2, {@code yaml_emitter_analyze_scalar})
 * concludes about a scalar before choosing its style, restricted to block context (no flow
 * collections are ever written).
 *
 * @param multiline the text contains a line break (LF, CR, NEL, LS or PS)
 * @param plainAllowed the plain style may be used in block context
 * @param singleQuotedAllowed the single-quoted style may be used
 * @param blockAllowed the literal block style may be used
 */
record ScalarAnalysis(
    boolean multiline, boolean plainAllowed, boolean singleQuotedAllowed, boolean blockAllowed) {

  /** Characters that may not start a plain scalar at all. */
  private static final String LEADING_INDICATORS = "#,[]{}&*!|>'\"%@`";

  static ScalarAnalysis of(String value) {
    if (value.isEmpty()) {
      return new ScalarAnalysis(false, true, true, false);
    }
    Flags f = new Flags();
    f.indicators = value.startsWith("---") || value.startsWith("...");
    int[] cps = codePoints(value);
    boolean precededByWhitespace = true;
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      boolean followedByWhitespace = i + 1 >= cps.length || isBlank(cps[i + 1]);
      if (i == 0) {
        f.indicators |= isLeadingIndicator(c, followedByWhitespace);
      } else {
        f.indicators |= (c == ':' && followedByWhitespace) || (c == '#' && precededByWhitespace);
      }
      f.special |= !isPrintable(c);
      f.track(c, i == 0, i == cps.length - 1);
      precededByWhitespace = isBlank(c) || isBreak(c) || c == 0;
    }
    return f.toAnalysis();
  }

  /**
   * The code points of {@code s} as {@link String#codePoints()} gives them (an unpaired surrogate
   * as its own value), by a plain loop: a stream pipeline per scalar cost a small run more than the
   * rest of writing its YAML.
   */
  static int[] codePoints(String s) {
    int n = s.length();
    int[] out = new int[n];
    int count = 0;
    for (int i = 0; i < n; ) {
      int cp = Character.codePointAt(s, i);
      out[count++] = cp;
      i += Character.charCount(cp);
    }
    return count == n ? out : Arrays.copyOf(out, count);
  }

  private static boolean isLeadingIndicator(int c, boolean followedByWhitespace) {
    if (LEADING_INDICATORS.indexOf(c) >= 0) {
      return true;
    }
    return (c == '?' || c == ':' || c == '-') && followedByWhitespace;
  }

  /**
   * libyaml's is_printable (in UTF-8 terms): note that nothing outside the BMP counts as printable.
   */
  static boolean isPrintable(int c) {
    return c == 0x0A
        || (c >= 0x20 && c <= 0x7E)
        || (c >= 0xA0 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF);
  }

  static boolean isBreak(int c) {
    return c == '\r' || c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
  }

  private static boolean isBlank(int c) {
    return c == ' ' || c == '\t';
  }

  /** Mutable accumulator for the single pass over the code points. */
  private static final class Flags {
    boolean indicators;
    boolean special;
    boolean lineBreaks;
    boolean leadingSpace;
    boolean leadingBreak;
    boolean trailingSpace;
    boolean trailingBreak;
    boolean breakSpace;
    boolean spaceBreak;
    boolean previousSpace;
    boolean previousBreak;

    void track(int c, boolean first, boolean last) {
      if (c == ' ') {
        leadingSpace |= first;
        trailingSpace |= last;
        breakSpace |= previousBreak;
        previousSpace = true;
        previousBreak = false;
      } else if (isBreak(c)) {
        lineBreaks = true;
        leadingBreak |= first;
        trailingBreak |= last;
        spaceBreak |= previousSpace;
        previousSpace = false;
        previousBreak = true;
      } else {
        previousSpace = false;
        previousBreak = false;
      }
    }

    ScalarAnalysis toAnalysis() {
      boolean plain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak);
      boolean single = true;
      boolean block = !trailingSpace;
      if (breakSpace) {
        plain = false;
        single = false;
      }
      if (spaceBreak || special) {
        plain = false;
        single = false;
        block = false;
      }
      if (lineBreaks || indicators) {
        plain = false;
      }
      return new ScalarAnalysis(lineBreaks, plain, single, block);
    }
  }
}
