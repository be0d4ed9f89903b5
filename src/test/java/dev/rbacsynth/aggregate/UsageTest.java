package dev.rbacsynth.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.attributes.Interpretation;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.attributes.Requirement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The compact {@link Usage} (issue 15 §4: a million distinct requests within the launcher's heap)
 * keeps what the maps and records it replaced kept: counts and times per outcome, the common
 * groups, the smallest implication and the smallest audit ID, whatever its form.
 */
class UsageTest {
  private static final Interned INTERNED = new Interned();
  private static final List<String> SA_GROUPS =
      List.of("system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated");

  private static void add(Usage u, Outcome o, String time, List<String> groups, String id) {
    u.add(o, time == null ? null : Instant.parse(time), groups, "", false, id, INTERNED);
  }

  @Test
  void oneOutcomeThenSeveral() {
    Usage u = new Usage();
    add(u, Outcome.ALLOWED, "2026-05-04T10:00:02.000001Z", SA_GROUPS, "");
    add(u, Outcome.ALLOWED, "2026-05-04T10:00:01Z", SA_GROUPS, "");
    assertThat(u.stats(Outcome.ALLOWED).count()).isEqualTo(2);
    assertThat(u.stats(Outcome.ALLOWED).first()).isEqualTo(Instant.parse("2026-05-04T10:00:01Z"));
    assertThat(u.stats(Outcome.ALLOWED).last())
        .isEqualTo(Instant.parse("2026-05-04T10:00:02.000001Z"));
    assertThat(u.seen(Outcome.RBAC_DENIED)).isFalse();
    assertThat(u.onlyDenied()).isFalse();

    add(u, Outcome.RBAC_DENIED, "2026-05-04T09:00:00Z", SA_GROUPS, "");
    add(u, Outcome.UNDECIDED, null, SA_GROUPS, "");
    assertThat(u.stats(Outcome.ALLOWED).count()).isEqualTo(2);
    assertThat(u.stats(Outcome.RBAC_DENIED).count()).isEqualTo(1);
    assertThat(u.stats(Outcome.UNDECIDED).count()).isEqualTo(1);
    assertThat(u.stats(Outcome.UNDECIDED).first()).isNull();
    assertThat(u.stats(Outcome.REJECTED_AFTER_AUTHORIZATION).count()).isZero();
    assertThat(u.total().count()).isEqualTo(4);
    assertThat(u.total().first()).isEqualTo(Instant.parse("2026-05-04T09:00:00Z"));
    assertThat(u.total().last()).isEqualTo(Instant.parse("2026-05-04T10:00:02.000001Z"));
  }

  @Test
  void onlyDeniedWhenEveryOccurrenceWas() {
    Usage u = new Usage();
    add(u, Outcome.RBAC_DENIED, "2026-05-04T10:00:00Z", SA_GROUPS, "");
    add(u, Outcome.REJECTED_AFTER_AUTHORIZATION, "2026-05-04T10:00:00Z", SA_GROUPS, "");
    assertThat(u.onlyDenied()).isTrue();
    assertThat(new Usage().onlyDenied()).isTrue();
  }

  @Test
  void commonGroupsAreTheIntersectionSortedAndShared() {
    Usage u = new Usage();
    Usage v = new Usage();
    add(u, Outcome.ALLOWED, null, SA_GROUPS, "");
    add(
        v,
        Outcome.ALLOWED,
        null,
        List.of("system:authenticated", "system:serviceaccounts", "system:serviceaccounts:shop"),
        "");
    assertThat(u.commonGroups())
        .containsExactly(
            "system:authenticated", "system:serviceaccounts", "system:serviceaccounts:shop");
    assertThat(v.commonGroups()).isSameAs(u.commonGroups());
    add(u, Outcome.ALLOWED, null, List.of("system:authenticated"), "");
    assertThat(u.commonGroups()).containsExactly("system:authenticated");
  }

  @Test
  void theSmallestAuditIdIsKeptWhateverItsForm() {
    // UUIDs as the apiserver writes them, kept as two longs, and IDs a client set (Audit-ID).
    String a = "00000000-0000-0000-0000-000000000063";
    String b = "0b5d4e7f-9a3c-4c1e-8f2a-d3e4f5a6b7c8";
    String c = "f0e1d2c3-b4a5-4968-8778-695a4b3c2d1e";
    for (List<String> order :
        List.of(List.of(c, b, a), List.of(a, c, b), List.of(b, a, c), List.of(c, a))) {
      Usage u = new Usage();
      order.forEach(id -> add(u, Outcome.ALLOWED, null, SA_GROUPS, id));
      assertThat(u.sampleAuditId()).isEqualTo(a);
    }
    Usage u = new Usage();
    add(u, Outcome.ALLOWED, null, SA_GROUPS, c);
    assertThat(u.sampleAuditId()).isEqualTo(c);
    add(u, Outcome.ALLOWED, null, SA_GROUPS, "F0E1D2C3-B4A5-4968-8778-695A4B3C2D1E");
    assertThat(u.sampleAuditId()).isEqualTo("F0E1D2C3-B4A5-4968-8778-695A4B3C2D1E");
    add(u, Outcome.ALLOWED, null, SA_GROUPS, b); // '0' sorts before 'F'
    assertThat(u.sampleAuditId()).isEqualTo(b);
    add(u, Outcome.ALLOWED, null, SA_GROUPS, "0B5D4E7F-9A3C-4C1E-8F2A-D3E4F5A6B7C8");
    assertThat(u.sampleAuditId()).isEqualTo("0B5D4E7F-9A3C-4C1E-8F2A-D3E4F5A6B7C8");
    add(u, Outcome.ALLOWED, null, SA_GROUPS, "");
    add(u, Outcome.ALLOWED, null, SA_GROUPS, "0");
    assertThat(u.sampleAuditId()).isEqualTo("0");
    Usage none = new Usage();
    add(none, Outcome.ALLOWED, null, SA_GROUPS, "");
    assertThat(none.sampleAuditId()).isEmpty();
    Usage max = new Usage();
    add(max, Outcome.ALLOWED, null, SA_GROUPS, "ffffffff-ffff-ffff-ffff-ffffffffffff");
    add(max, Outcome.ALLOWED, null, SA_GROUPS, "8fffffff-ffff-ffff-ffff-ffffffffffff");
    assertThat(max.sampleAuditId()).isEqualTo("8fffffff-ffff-ffff-ffff-ffffffffffff");
  }

  @Test
  void requestsAreSortedAndTheSharedPartsOfManyAreOneCopy() {
    ObservedUsage usage = new ObservedUsage();
    int n = ObservedUsage.INTERN_FROM + 10;
    for (int i = n - 1; i >= 0; i--) {
      RequestAttributes r =
          RequestAttributes.resource(
              new String("get"), "", new String("pods"), "", new String("shop"), "web-" + i);
      usage.add(
          new Interpretation(
              List.of(new Requirement(r, Outcome.ALLOWED, "")), Interpretation.Skip.NONE),
          null,
          SA_GROUPS,
          false,
          "");
    }
    Map<RequestAttributes, Usage> requests = usage.requests();
    List<RequestAttributes> keys = List.copyOf(requests.keySet());
    assertThat(keys).hasSize(n);
    assertThat(keys.subList(0, 3))
        .extracting(RequestAttributes::name)
        .containsExactly("web-0", "web-1", "web-10");
    // web-0 .. web-9 came last, after INTERN_FROM others: one copy of verb, resource, namespace
    List<RequestAttributes> late =
        keys.stream().filter(k -> k.name().matches("web-[0-9]")).toList();
    assertThat(late).hasSize(10);
    for (RequestAttributes k : late) {
      assertThat(k.verb()).isSameAs(late.get(0).verb());
      assertThat(k.namespace()).isSameAs(late.get(0).namespace());
      assertThat(requests.get(k).commonGroups()).isSameAs(requests.get(late.get(0)).commonGroups());
    }
    RequestAttributes lookup = RequestAttributes.resource("get", "", "pods", "", "shop", "web-10");
    assertThat(requests.get(lookup).total().count()).isEqualTo(1);
    assertThat(requests.containsKey(lookup.withName("web-" + n))).isFalse();
    assertThat(requests.get("not a request")).isNull();
    assertThat(Set.copyOf(requests.values())).hasSize(n);
  }
}
