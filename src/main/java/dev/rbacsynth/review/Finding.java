package dev.rbacsynth.review;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The kinds of findings {@code diff --fail-on} can turn into exit code 1. */
public enum Finding {
  MISSING,
  UNUSED,
  RISKY;

  /**
   * Parses {@code missing,unused,risky} (any subset, or {@code none}).
   *
   * @throws IllegalArgumentException naming the unknown value
   */
  public static Set<Finding> parse(Iterable<String> values) {
    Set<Finding> out = EnumSet.noneOf(Finding.class);
    for (String raw : values) {
      String v = raw.trim().toLowerCase(Locale.ROOT);
      if (v.isEmpty() || v.equals("none")) {
        continue;
      }
      try {
        out.add(valueOf(v.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown --fail-on value \"" + raw + "\" (use missing, unused, risky or " + "none)");
      }
    }
    return out;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
