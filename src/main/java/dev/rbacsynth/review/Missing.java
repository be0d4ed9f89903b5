package dev.rbacsynth.review;

import dev.rbacsynth.aggregate.OutcomeStats;
import dev.rbacsynth.aggregate.Usage;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.authorize.Authorizer;
import dev.rbacsynth.generate.Generator;
import dev.rbacsynth.kube.Subject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An observed request (or a check it implied) that the existing RBAC does not allow for the user
 * who made it, with how often and when it was seen and what the log says happened to it.
 *
 * @param outcomes occurrences per outcome in the log (only outcomes that occurred)
 * @param implication why the check was implied ("" for a logged request)
 * @param lastDenied the last time the authorizer denied it in the log; null when it never did (or
 *     the events had no time)
 * @param allowedLater the last time it was allowed, when that was after {@code lastDenied}: the
 *     denial was transient ({@link Usage#allowedAfter}); null otherwise
 */
public record Missing(
    RequestAttributes request,
    long count,
    Instant first,
    Instant last,
    Map<Outcome, Long> outcomes,
    String implication,
    Instant lastDenied,
    Instant allowedLater) {

  public Missing {
    outcomes = Map.copyOf(outcomes);
  }

  /** Occurrences the authorizer denied in the log ({@code decision: forbid}). */
  public long deniedCount() {
    return outcomes.getOrDefault(Outcome.RBAC_DENIED, 0L);
  }

  public boolean denied() {
    return deniedCount() > 0;
  }

  /**
   * Denied in the log, then allowed after the last denial: a start-up race, not a lasting lack (the
   * same definition as generate's denied report).
   */
  public boolean transientDenial() {
    return allowedLater != null;
  }

  /** The observed requests {@code authorizer} does not allow, in the order of {@code requests}. */
  public static List<Missing> find(
      Authorizer authorizer, Subject subject, Map<RequestAttributes, Usage> requests) {
    List<Missing> out = new ArrayList<>();
    requests.forEach(
        (request, usage) -> {
          if (!authorizer.allows(Generator.requester(subject, usage), request)) {
            Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values()) {
              if (usage.seen(o)) {
                outcomes.put(o, usage.stats(o).count());
              }
            }
            OutcomeStats total = usage.total();
            out.add(
                new Missing(
                    request,
                    total.count(),
                    total.first(),
                    total.last(),
                    outcomes,
                    usage.implication(),
                    usage.seen(Outcome.RBAC_DENIED)
                        ? usage.stats(Outcome.RBAC_DENIED).last()
                        : null,
                    usage.allowedAfter(Outcome.RBAC_DENIED)));
          }
        });
    return out;
  }
}
