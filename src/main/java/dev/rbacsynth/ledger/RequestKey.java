package dev.rbacsynth.ledger;

import dev.rbacsynth.attributes.RequestAttributes;
import java.util.Comparator;

/**
 * One request as the authorizer sees it, and whether it is a request that cannot be granted (a
 * skipped request, kept for the denied report).
 */
public record RequestKey(RequestAttributes attributes, boolean skipped)
    implements Comparable<RequestKey> {
  private static final Comparator<RequestKey> ORDER =
      Comparator.comparing(RequestKey::skipped)
          .thenComparing(RequestKey::attributes, RequestAttributes.ORDER);

  @Override
  public int compareTo(RequestKey o) {
    return ORDER.compare(this, o);
  }
}
