package dev.rbacsynth.select;

import dev.rbacsynth.read.LinePrefilter;
import java.nio.charset.StandardCharsets;

/**
 * The byte pre-filter for a subject: a line can only concern the subject if the subject's name occurs in it. JSON
 * may escape any character as {@code \\uXXXX} (and {@code /} as {@code \\/}), so a line holding such an escape is
 * always parsed; a name that itself needs escaping disables the filter. This keeps the filter exact.
 */
public final class SubjectPrefilter implements LinePrefilter {

  private static final byte[] UNICODE_ESCAPE = {'\\', 'u'};
  private static final byte[] SLASH_ESCAPE = {'\\', '/'};

  private final byte[] needle;
  private final boolean slash;

  private SubjectPrefilter(byte[] needle, boolean slash) {
    this.needle = needle;
    this.slash = slash;
  }

  public static LinePrefilter forName(String name) {
    if (name.isEmpty()) {
      return LinePrefilter.ALL;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20) {
        return LinePrefilter.ALL;
      }
    }
    return new SubjectPrefilter(name.getBytes(StandardCharsets.UTF_8), name.indexOf('/') >= 0);
  }

  @Override
  public boolean mightMatch(byte[] buf, int from, int to) {
    return indexOf(buf, from, to, needle) >= 0
        || indexOf(buf, from, to, UNICODE_ESCAPE) >= 0
        || (slash && indexOf(buf, from, to, SLASH_ESCAPE) >= 0);
  }

  /** First index of {@code pattern} in {@code buf[from, to)}, or -1. */
  static int indexOf(byte[] buf, int from, int to, byte[] pattern) {
    byte first = pattern[0];
    int last = to - pattern.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (buf[i] != first) {
        continue;
      }
      for (int j = 1; j < pattern.length; j++) {
        if (buf[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
