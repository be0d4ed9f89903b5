package dev.rbacsynth.review;

import java.util.Locale;

/** The kinds of findings {@code diff --fail-on} can turn into exit code 1. */
public enum Finding {
  MISSING,
  UNUSED,
  RISKY;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
