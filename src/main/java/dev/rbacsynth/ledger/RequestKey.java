package dev.rbacsynth.ledger;

import dev.rbacsynth.aggregate.RequestUse;
import dev.rbacsynth.attributes.RequestAttributes;

/**
 * One request as the authorizer sees it, and what became of it: used, skipped (it cannot be
 * granted; kept for the denied report) or refused (crafted; never granted, always reported).
 */
public record RequestKey(RequestAttributes attributes, RequestUse use)
    implements Comparable<RequestKey> {
  /** By use, then by {@link RequestAttributes#ORDER} (written out: a ledger sorts every row). */
  @Override
  public int compareTo(RequestKey o) {
    int c = use.compareTo(o.use);
    return c != 0 ? c : RequestAttributes.ORDER.compare(attributes, o.attributes);
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
