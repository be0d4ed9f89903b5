package dev.rbacsynth.yaml;

import java.math.BigInteger;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether gopkg.in/yaml.v2 would double-quote a string because, written plain, its YAML 1.1
 * resolver would read it back as something other than a string (bool, null, int, float, timestamp)
 * or it looks like a YAML 1.1 base-60 float. Reimplements the observable behaviour of yaml.v2's
 * {@code resolve("", s)} and {@code isBase60Float(s)}, including the Go standard library parsing
 * they rely on ({@code strconv.ParseInt/ParseUint/ParseFloat} and {@code time.Parse} with yaml.v2's
 * four timestamp layouts).
 */
final class GoYamlResolver {

  /** yaml.v2 resolve table: bools (YAML 1.1 incl. y/n/on/off), nulls, and special floats. */
  private static final Set<String> SPECIAL_NON_STRINGS =
      Set.of(
          "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no",
          "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "~", "null", "Null", "NULL",
          ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
          "-.Inf", "-.INF");

  /** yaml.v2 only looks further at strings whose first byte is one of these. */
  private static final String MAP_ONLY_HINTS = "yYnNtTfFoO~";

  /**
   * The expressions, compiled on first use: most scalars of a manifest (names, verbs, resources)
   * start with a letter and never reach them.
   */
  private static final class Patterns {
    static final Pattern YAML_STYLE_FLOAT =
        Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

    /**
     * Go float syntax for text starting with '.': underscores only between digits, exponent must
     * start with a digit.
     */
    static final Pattern GO_DOT_FLOAT =
        Pattern.compile("\\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?");

    static final Pattern BASE60_FLOAT =
        Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");

    private Patterns() {}
  }

  private static final BigInteger MAX_UINT64 =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final BigInteger MAX_INT64 = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigInteger MIN_INT64_MAGNITUDE = MAX_INT64.add(BigInteger.ONE);

  private GoYamlResolver() {}

  /** True when yaml.v2's encoder would pick the double-quoted style for this string. */
  static boolean needsQuoting(String s) {
    return resolvesToNonString(s) || (mayBeBase60(s) && Patterns.BASE60_FLOAT.matcher(s).matches());
  }

  /**
   * True when every character of {@code s} is one of {@code allowed}: a float's expression can only
   * match such text, and most text (a version such as {@code 0.1.0-SNAPSHOT}) fails this first.
   */
  private static boolean onlyChars(String s, String allowed) {
    for (int i = 0; i < s.length(); i++) {
      if (allowed.indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** What every base-60 float has: a sign or digit first, and a colon. */
  private static boolean mayBeBase60(String s) {
    if (s.isEmpty()) {
      return false;
    }
    char first = s.charAt(0);
    return (first == '+' || first == '-' || (first >= '0' && first <= '9')) && s.indexOf(':') > 0;
  }

  /** yaml.v2 {@code resolve("", s)} returns a tag other than !!str. */
  static boolean resolvesToNonString(String s) {
    if (s.isEmpty()) {
      return true; // null
    }
    char first = s.charAt(0);
    boolean sign = first == '+' || first == '-';
    boolean digit = first >= '0' && first <= '9';
    if (!sign && !digit && first != '.' && MAP_ONLY_HINTS.indexOf(first) < 0) {
      return false;
    }
    if (SPECIAL_NON_STRINGS.contains(s)) {
      return true;
    }
    if (first == '.') {
      return onlyChars(s, "+-._0123456789eE")
          && Patterns.GO_DOT_FLOAT.matcher(s).matches()
          && isFiniteDouble(s.replace("_", ""));
    }
    if (!sign && !digit) {
      return false;
    }
    return GoTimestamp.parses(s) || isNumber(s.replace("_", ""));
  }

  private static boolean isNumber(String plain) {
    if (parseInt(plain, 0) != null || parseUint(plain, 0) != null) {
      return true;
    }
    if (onlyChars(plain, "+-.0123456789eE")
        && Patterns.YAML_STYLE_FLOAT.matcher(plain).matches()
        && isFiniteDouble(plain)) {
      return true;
    }
    if (plain.startsWith("0b")) {
      String rest = plain.substring(2);
      return parseInt(rest, 2) != null || parseUint(rest, 2) != null;
    }
    if (plain.startsWith("-0b")) {
      return parseInt("-" + plain.substring(3), 2) != null;
    }
    return false;
  }

  /** Go's ParseFloat fails with ErrRange on overflow; underflow to zero is fine. */
  private static boolean isFiniteDouble(String s) {
    return Double.isFinite(Double.parseDouble(s));
  }

  /** Go {@code strconv.ParseInt(s, base, 64)}; base 0 means "from prefix". Null on error. */
  static BigInteger parseInt(String s, int base) {
    if (s.isEmpty()) {
      return null;
    }
    boolean negative = s.charAt(0) == '-';
    String magnitudeText = negative || s.charAt(0) == '+' ? s.substring(1) : s;
    BigInteger magnitude = parseUint(magnitudeText, base);
    if (magnitude == null) {
      return null;
    }
    BigInteger limit = negative ? MIN_INT64_MAGNITUDE : MAX_INT64;
    if (magnitude.compareTo(limit) > 0) {
      return null;
    }
    return negative ? magnitude.negate() : magnitude;
  }

  /** Go {@code strconv.ParseUint(s, base, 64)} for underscore-free input. Null on error. */
  static BigInteger parseUint(String s, int base) {
    if (s.isEmpty()) {
      return null;
    }
    String digits = s;
    if (base == 0) {
      base = 10;
      if (s.charAt(0) == '0') {
        char prefix = s.length() >= 3 ? Character.toLowerCase(s.charAt(1)) : '\0';
        base =
            switch (prefix) {
              case 'b' -> 2;
              case 'o' -> 8;
              case 'x' -> 16;
              default -> 8;
            };
        digits = s.substring(prefix == 'b' || prefix == 'o' || prefix == 'x' ? 2 : 1);
        if (digits.isEmpty()) {
          return BigInteger.ZERO; // "0"
        }
      }
    }
    for (int i = 0; i < digits.length(); i++) {
      if (asciiDigitValue(digits.charAt(i)) >= base) {
        return null;
      }
    }
    BigInteger value = new BigInteger(digits, base);
    return value.compareTo(MAX_UINT64) > 0 ? null : value;
  }

  private static int asciiDigitValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    char lower = Character.toLowerCase(c);
    return lower >= 'a' && lower <= 'z' ? lower - 'a' + 10 : Integer.MAX_VALUE;
  }

  /**
   * Go {@code time.Parse} restricted to yaml.v2's layouts {@code 2006-1-2T15:4:5.999999999Z07:00},
   * the same with a lower-case {@code t}, {@code 2006-1-2 15:4:5.999999999} and {@code 2006-1-2}.
   */
  static final class GoTimestamp {
    private final String s;
    private int pos;

    private GoTimestamp(String s) {
      this.s = s;
    }

    static boolean parses(String s) {
      int digits = 0;
      while (digits < s.length() && isDigit(s.charAt(digits))) {
        digits++;
      }
      if (digits != 4 || digits == s.length() || s.charAt(digits) != '-') {
        return false;
      }
      return new GoTimestamp(s).layout('T')
          || new GoTimestamp(s).layout('t')
          || new GoTimestamp(s).layout(' ')
          || new GoTimestamp(s).layout('\0');
    }

    /** {@code separator} is 'T', 't', ' ' or '\0' for the date-only layout. */
    private boolean layout(char separator) {
      int year = Integer.parseInt(s.substring(0, 4));
      pos = 4;
      if (!literal('-')) {
        return false;
      }
      int month = number();
      if (month < 1 || month > 12 || !literal('-')) {
        return false;
      }
      int day = number();
      if (day < 1 || day > daysIn(month, year)) {
        return false;
      }
      if (separator == '\0') {
        return pos == s.length();
      }
      boolean timeOk = separator == ' ' ? spaces() : literal(separator);
      if (!timeOk || !clock()) {
        return false;
      }
      fraction();
      if (separator != ' ' && !zone()) {
        return false;
      }
      return pos == s.length();
    }

    /** H:M:S with one- or two-digit fields, as Go's getnum reads them. */
    private boolean clock() {
      int hour = number();
      if (hour < 0 || hour > 23 || !literal(':')) {
        return false;
      }
      int minute = number();
      if (minute < 0 || minute > 59 || !literal(':')) {
        return false;
      }
      int second = number();
      return second >= 0 && second <= 59;
    }

    /** Optional '.' or ',' followed by at least one digit (Go takes any number of digits). */
    private void fraction() {
      if (pos + 1 < s.length()
          && (s.charAt(pos) == '.' || s.charAt(pos) == ',')
          && isDigit(s.charAt(pos + 1))) {
        pos += 2;
        while (pos < s.length() && isDigit(s.charAt(pos))) {
          pos++;
        }
      }
    }

    /** "Z" or ±hh:mm, Go accepting offsets up to 24 hours and 60 minutes. */
    private boolean zone() {
      if (pos < s.length() && s.charAt(pos) == 'Z') {
        pos++;
        return true;
      }
      if (s.length() - pos < 6 || s.charAt(pos + 3) != ':') {
        return false;
      }
      char sign = s.charAt(pos);
      int hours = twoDigits(pos + 1);
      int minutes = twoDigits(pos + 4);
      pos += 6;
      return (sign == '+' || sign == '-')
          && hours >= 0
          && hours <= 24
          && minutes >= 0
          && minutes <= 60;
    }

    /** A space in a Go layout matches one or more spaces. */
    private boolean spaces() {
      if (pos >= s.length() || s.charAt(pos) != ' ') {
        return false;
      }
      while (pos < s.length() && s.charAt(pos) == ' ') {
        pos++;
      }
      return true;
    }

    private boolean literal(char c) {
      if (pos < s.length() && s.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }

    /** One or two digits (greedy), -1 when there is none. */
    private int number() {
      if (pos >= s.length() || !isDigit(s.charAt(pos))) {
        return -1;
      }
      int value = s.charAt(pos++) - '0';
      if (pos < s.length() && isDigit(s.charAt(pos))) {
        value = value * 10 + (s.charAt(pos++) - '0');
      }
      return value;
    }

    private int twoDigits(int at) {
      char a = s.charAt(at);
      char b = s.charAt(at + 1);
      return isDigit(a) && isDigit(b) ? (a - '0') * 10 + (b - '0') : -1;
    }

    private static int daysIn(int month, int year) {
      if (month == 2) {
        boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        return leap ? 29 : 28;
      }
      return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }
  }
}
