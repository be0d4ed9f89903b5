package dev.rbacsynth.aggregate;

import java.util.Locale;

/**
 * What became of an observed request: used (a candidate for a rule), skipped (seen but it cannot be
 * granted: a denied impersonation, an OPTIONS request, a removed path, ...) or refused (crafted so
 * that a rule for it would read as a wildcard or as any name; never granted, always reported). The
 * three lists of {@link ObservedUsage}.
 */
public enum RequestUse {
  USED,
  SKIPPED,
  REFUSED;

  /** The name in JSON (a usage ledger): {@code used}, {@code skipped}, {@code refused}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RequestUse parse(String wireName) {
    for (RequestUse u : values()) {
      if (u.wireName().equals(wireName)) {
        return u;
      }
    }
    throw new IllegalArgumentException(
        "unknown request use \"" + wireName + "\" (used, skipped or refused)");
  }
}
