package dev.rbacsynth.read;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An exact necessary condition on the raw bytes of a JSON line: the line can only matter if it
 * contains one of the literal needles (a username, as UTF-8), a JSON escape {@code \X} with X among
 * {@link #escapes()}, or an overlong UTF-8 form (either could hide the needle). Lines with none of
 * them are not parsed. {@link #ALL} parses every line.
 */
public final class LinePrefilter {

  public static final LinePrefilter ALL = new LinePrefilter(null, "");

  /**
   * Lead bytes (as ISO-8859-1 chars) of the overlong UTF-8 forms that Jackson decodes instead of
   * rejecting: C0 and C1 start two-byte forms of U+0000..U+007F, E0 followed by 80..9F three-byte
   * forms of U+0000..U+07FF. They never occur in valid UTF-8, but a line holding {@code b C1 AF b}
   * parses to the name "bob" without containing its bytes. (Longer overlong forms decode to
   * unpaired surrogates, which no needle holds.)
   */
  static final char[] OVERLONG_LEADS = {'\u00C0', '\u00C1', '\u00E0'};

  private final List<byte[]> literals;
  private final String escapes;

  private LinePrefilter(List<byte[]> literals, String escapes) {
    this.literals = literals;
    this.escapes = escapes;
  }

  /**
   * @param escapes the characters that, after a backslash, mark an escape that may hide a needle
   *     ({@code u}, and {@code /} when a needle contains a slash)
   */
  public static LinePrefilter of(List<byte[]> literals, String escapes) {
    return new LinePrefilter(literals.stream().map(byte[]::clone).toList(), escapes);
  }

  /** False for {@link #ALL}. */
  public boolean filters() {
    return literals != null;
  }

  String escapes() {
    return escapes;
  }

  ByteSearch[] searchers() {
    return literals == null
        ? new ByteSearch[0]
        : literals.stream().map(ByteSearch::new).toArray(ByteSearch[]::new);
  }

  /**
   * The same test for one line, as the bulk scan applies it (kept simple: the reference for tests).
   */
  public boolean mightMatch(byte[] buf, int from, int to) {
    if (literals == null) {
      return true;
    }
    String line = new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    for (byte[] literal : literals) {
      if (line.contains(new String(literal, StandardCharsets.ISO_8859_1))) {
        return true;
      }
    }
    for (char lead : OVERLONG_LEADS) {
      if (nextOverlong(line, 0, line.length(), lead) >= 0) {
        return true;
      }
    }
    return nextEscape(line, 0, line.length(), escapes) >= 0;
  }

  /**
   * Index of the next overlong UTF-8 form in {@code text[from, to)} that starts with {@code lead},
   * one of {@link #OVERLONG_LEADS}, or -1.
   */
  static int nextOverlong(String text, int from, int to, char lead) {
    char lastContinuation = lead == '\u00E0' ? '\u009F' : '\u00BF';
    int p = text.indexOf(lead, from);
    while (p >= 0 && p + 1 < to) {
      char next = text.charAt(p + 1);
      if (next >= '\u0080' && next <= lastContinuation) {
        return p;
      }
      p = text.indexOf(lead, p + 1);
    }
    return -1;
  }

  /**
   * Index of the next backslash in {@code text[from, to)} that starts an escape {@code \X} with X
   * in {@code escapes}, or -1. Escaped backslashes ({@code \\}) are skipped as pairs, so {@code
   * \\u} is not an escape.
   */
  static int nextEscape(String text, int from, int to, String escapes) {
    if (escapes.isEmpty()) {
      return -1;
    }
    int p = text.indexOf('\\', from);
    while (p >= 0 && p + 1 < to) {
      if (escapes.indexOf(text.charAt(p + 1)) >= 0) {
        return p;
      }
      p = text.indexOf('\\', p + 2);
    }
    return -1;
  }
}
