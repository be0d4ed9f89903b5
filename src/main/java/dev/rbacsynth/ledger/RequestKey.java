package dev.rbacsynth.ledger;

import dev.rbacsynth.aggregate.RequestUse;
import dev.rbacsynth.attributes.RequestAttributes;
import java.util.Comparator;

/**
 * One request as the authorizer sees it, and what became of it: used, skipped (it cannot be
 * granted; kept for the denied report) or refused (crafted; never granted, always reported).
 */
public record RequestKey(RequestAttributes attributes, RequestUse use)
    implements Comparable<RequestKey> {
  private static final Comparator<RequestKey> ORDER =
      Comparator.comparing(RequestKey::use)
          .thenComparing(RequestKey::attributes, RequestAttributes.ORDER);

  @Override
  public int compareTo(RequestKey o) {
    return ORDER.compare(this, o);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequestKey k && use == k.use && attributes.equals(k.attributes);
  }

  @Override
  public int hashCode() {
    return attributes.hashCode() * 31 + use.ordinal();
  }
}
