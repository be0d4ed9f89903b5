package dev.rbacsynth.read.envelope;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The AKS audit records an adapter unwrapped, by diagnostic category: {@code kube-audit} (table
 * AKSAudit) has every request; {@code kube-audit-admin} (table AKSAuditAdmin) leaves out every get
 * and list request (Azure Monitor's table reference for AKSAuditAdmin). An input of admin records
 * alone cannot show read permissions, so the adapter warns once, after reading. Counted from the
 * reader's threads.
 */
final class AksCategories {

  static final String WARNING_START = "only AKS kube-audit-admin records were read (";

  private final LongAdder full = new LongAdder();
  private final LongAdder admin = new LongAdder();

  /** Counts one audit record of {@code category} (kube-audit or kube-audit-admin). */
  void count(String category) {
    if (category.equalsIgnoreCase("kube-audit-admin")) {
      admin.increment();
    } else {
      full.increment();
    }
  }

  /** Counts one resource-specific row by its table ({@code Type}): AKSAudit or AKSAuditAdmin. */
  void countTable(String type) {
    if (type.equalsIgnoreCase("AKSAuditAdmin")) {
      admin.increment();
    } else if (type.equalsIgnoreCase("AKSAudit")) {
      full.increment();
    }
  }

  /**
   * The warning when only kube-audit-admin records were read since the last call, then counts again
   * from zero (one warning per read of the input).
   */
  List<String> drain() {
    long admins = admin.sumThenReset();
    long fulls = full.sumThenReset();
    if (admins == 0 || fulls > 0) {
      return List.of();
    }
    return List.of(
        WARNING_START
            + admins
            + "): that diagnostic category (table AKSAuditAdmin) leaves out every get and list"
            + " request, so read permissions are never observed: generated roles lack them and"
            + " diff reports granted reads as unused; export the kube-audit category (table"
            + " AKSAudit) to see them");
  }
}
