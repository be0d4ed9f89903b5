package dev.rbacsynth.select;

import dev.rbacsynth.read.LinePrefilter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte pre-filter for a subject (or several): a line can only concern a subject if the
 * subject's name occurs in it. JSON may escape any character as {@code \\uXXXX} (and {@code /} as
 * {@code \\/}), so a line holding such an escape is always parsed; a name that itself needs
 * escaping disables the filter. This keeps the filter exact: it never drops a line a full parse
 * would select.
 */
public final class SubjectPrefilter {
  private SubjectPrefilter() {}

  public static LinePrefilter forName(String name) {
    return forNames(List.of(name));
  }

  /** A line can only concern one of several subjects if one of their names occurs in it. */
  public static LinePrefilter forNames(List<String> names) {
    List<byte[]> literals = new ArrayList<>();
    boolean slash = false;
    for (String name : names) {
      if (name.isEmpty() || !StandardCharsets.UTF_8.newEncoder().canEncode(name)) {
        return LinePrefilter.ALL; // an unpaired surrogate has no UTF-8 bytes to look for
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c == '"' || c == '\\' || c < 0x20) {
          return LinePrefilter.ALL;
        }
      }
      literals.add(name.getBytes(StandardCharsets.UTF_8));
      slash |= name.indexOf('/') >= 0;
    }
    return literals.isEmpty() ? LinePrefilter.ALL : LinePrefilter.of(literals, slash ? "u/" : "u");
  }
}
