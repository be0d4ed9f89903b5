package dev.rbacsynth.read;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;

/**
 * What is wrong with a piece of JSON, in the user's words: the parser's messages name its own
 * classes, limits by their setter and source excerpts, none of which helps someone fixing a log
 * file. One place for every message about malformed JSON (audit logs, ledgers, baselines, webhook
 * bodies).
 */
public final class JsonProblems {
  private static final Pattern QUOTED_CHAR = Pattern.compile("character \\('(.{1,2})' \\(code");
  private static final Pattern TOKEN = Pattern.compile("token '([^']{0,40})");
  private static final Pattern CLOSE = Pattern.compile("close marker '(.)'");

  private JsonProblems() {}

  /**
   * One line saying what is wrong and where in the value (column, and the line within it when the
   * value spans several), never naming the parser's internals.
   */
  public static String describe(JacksonException e) {
    return describe(e, 0);
  }

  /**
   * The same for a value that starts after {@code linesBefore} lines of its file, so that the line
   * said is the file's.
   */
  public static String describe(JacksonException e, long linesBefore) {
    return what(e) + where(e.getLocation(), linesBefore);
  }

  private static String what(JacksonException e) {
    String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    int nl = m.indexOf('\n');
    if (nl >= 0) {
      m = m.substring(0, nl);
    }
    String lower = m.toLowerCase(Locale.ROOT);
    StreamReadConstraints limits = StreamReadConstraints.defaults();
    if (lower.contains("end-of-input")) {
      return "the JSON value ends early (truncated?)";
    }
    if (lower.contains("nesting depth")) {
      return "nested more than " + limits.getMaxNestingDepth() + " levels deep";
    }
    if (lower.contains("string value length")) {
      return "a string longer than " + limits.getMaxStringLength() + " characters";
    }
    if (lower.contains("number value length") || lower.contains("number length")) {
      return "a number longer than " + limits.getMaxNumberLength() + " digits";
    }
    if (lower.contains("name length")) {
      return "a property name longer than " + limits.getMaxNameLength() + " characters";
    }
    if (lower.contains("document length") || lower.contains("token count")) {
      return "the JSON value is too large";
    }
    if (lower.contains("utf-8") || lower.contains("utf8")) {
      return "not UTF-8 text";
    }
    if (lower.contains("illegal unquoted character") || lower.contains("ctrl-char")) {
      return "a control character inside a string (it must be escaped)";
    }
    if (lower.contains("character escape") || lower.contains("escape sequence")) {
      return "an invalid escape sequence in a string";
    }
    if (lower.contains("trailing token") || lower.contains("trailing data")) {
      return "more than one JSON value";
    }
    if (lower.contains("duplicate")) {
      return "a property given twice";
    }
    if (lower.contains("numeric value")
        || lower.contains("leading zero")
        || lower.contains("non-standard token")) {
      return "an invalid number";
    }
    Matcher close = CLOSE.matcher(m);
    if (lower.contains("unexpected close marker") && close.find()) {
      return "unexpected '" + close.group(1) + "' (brackets do not match)";
    }
    Matcher ch = QUOTED_CHAR.matcher(m);
    if (lower.contains("unexpected character") && ch.find()) {
      return "unexpected character '" + ch.group(1) + "'" + expecting(lower);
    }
    Matcher token = TOKEN.matcher(m);
    if (lower.contains("unrecognized token") && token.find()) {
      return "unexpected text '" + token.group(1) + "' (not a JSON value)";
    }
    return "invalid JSON";
  }

  private static String expecting(String lower) {
    if (lower.contains("expecting a colon")) {
      return " where ':' was expected";
    }
    if (lower.contains("expecting comma")) {
      return " where ',' or a closing bracket was expected";
    }
    if (lower.contains("double-quote to start field name") || lower.contains("property name")) {
      return " where a quoted property name was expected";
    }
    return "";
  }

  private static String where(TokenStreamLocation location, long linesBefore) {
    if (location == null || location.getColumnNr() <= 0) {
      return "";
    }
    return location.getLineNr() > 1
        ? " (at line "
            + (linesBefore + location.getLineNr())
            + ", column "
            + location.getColumnNr()
            + ")"
        : " (at column " + location.getColumnNr() + ")";
  }
}
