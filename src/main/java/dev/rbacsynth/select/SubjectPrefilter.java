package dev.rbacsynth.select;

import dev.rbacsynth.read.LinePrefilter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The byte pre-filter for a subject: a line can only concern the subject if the subject's name
 * occurs in it. JSON may escape any character as {@code \\uXXXX} (and {@code /} as {@code \\/}), so
 * a line holding such an escape is always parsed; a name that itself needs escaping disables the
 * filter. This keeps the filter exact: it never drops a line a full parse would select.
 */
public final class SubjectPrefilter {
  private SubjectPrefilter() {}

  public static LinePrefilter forName(String name) {
    if (name.isEmpty() || !StandardCharsets.UTF_8.newEncoder().canEncode(name)) {
      return LinePrefilter.ALL; // an unpaired surrogate has no UTF-8 bytes to look for
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20) {
        return LinePrefilter.ALL;
      }
    }
    return LinePrefilter.of(
        List.of(name.getBytes(StandardCharsets.UTF_8)), name.indexOf('/') >= 0 ? "u/" : "u");
  }
}
