package dev.rbacsynth.read;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An exact necessary condition on the raw bytes of a JSON line: the line can only matter if it
 * contains one of the literal needles (a username, as UTF-8) or a JSON escape {@code \X} with X
 * among {@link #escapes()} (an escape could hide the needle). Lines with neither are not parsed.
 * {@link #ALL} parses every line.
 */
public final class LinePrefilter {

  public static final LinePrefilter ALL = new LinePrefilter(null, "");

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
    return nextEscape(line, 0, line.length(), escapes) >= 0;
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
