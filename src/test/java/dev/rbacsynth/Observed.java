package dev.rbacsynth;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.attributes.Interpretation;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.attributes.Requirement;
import java.time.Instant;
import java.util.List;

/** Aggregated usage built directly from requests, for tests of what comes after aggregation. */
public final class Observed {
  private Observed() {}

  /** Each request seen once, with this outcome, by a user holding {@code groups}. */
  public static ObservedUsage usage(
      Outcome outcome, List<String> groups, RequestAttributes... requests) {
    ObservedUsage usage = new ObservedUsage();
    for (RequestAttributes r : requests) {
      usage.add(
          new Interpretation(List.of(new Requirement(r, outcome, "")), Interpretation.Skip.NONE),
          Instant.EPOCH,
          groups,
          false,
          "");
    }
    return usage;
  }
}
