package dev.rbacsynth.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Manifests;
import dev.rbacsynth.Observed;
import dev.rbacsynth.aggregate.Usage;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.authorize.Grant;
import dev.rbacsynth.compact.GenerateOptions;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.report.DiffSummary;
import dev.rbacsynth.write.Naming;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * One subject's review: which groups it always had, the system:masters warning, and the suggested
 * change, decided by the authorizer grant by grant (inert grants apart, wildcards count as
 * removed).
 */
class DiffReviewerTest {

  private static final Subject ALICE = new Subject.User("alice");

  /** A ClusterRole with these rules (flow YAML) bound to alice by a RoleBinding in shop. */
  private static DiffReviewer reviewer(String rules) {
    return new DiffReviewer(
        ExistingRbac.of(
            Manifests.objects(
                """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: r}
                rules: %s
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: b, namespace: shop}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
                subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}]
                """
                    .formatted(rules)),
            true),
        GenerateOptions.EXACT);
  }

  private static SubjectReview review(
      String rules, List<String> groups, RequestAttributes... requests) {
    return reviewer(rules)
        .review(
            ALICE,
            Observed.usage(Outcome.ALLOWED, groups, requests),
            new Naming(Naming.DEFAULT_NAME, Naming.DEFAULT_LABELS, List.of())
                .resolve("alice", "t"));
  }

  private static final List<String> AUTHENTICATED = List.of("system:authenticated");
  private static final RequestAttributes LIST_PODS =
      RequestAttributes.resource("list", "", "pods", "", "shop", "");

  /** {@code +|- scope: grants [inert]} of each change. */
  private static List<String> changes(List<Suggestion.Change> changes, String sign) {
    return changes.stream()
        .map(
            c ->
                sign
                    + " "
                    + (c.scope().isEmpty() ? "cluster" : c.scope())
                    + ": "
                    + c.grants().stream().map(Grant::describe).toList()
                    + (c.inert() ? " inert" : ""))
        .toList();
  }

  @Test
  void theSuggestionRemovesUnusedAndInertGrantsAndAddsMissingOnes() {
    SubjectReview r =
        review(
            "[{apiGroups: [''], resources: [pods, nodes], verbs: [get, list]},"
                + " {nonResourceURLs: [/metrics], verbs: [get]},"
                + " {apiGroups: [''], resources: [secrets], verbs: [get]}]",
            AUTHENTICATED,
            LIST_PODS,
            RequestAttributes.resource("delete", "", "pods", "", "shop", "web-0"),
            RequestAttributes.nonResource("get", "/metrics"));
    assertThat(changes(r.suggestion().removed(), "-"))
        .containsExactly(
            "- shop: [get pods]",
            "- shop: [get nodes, list nodes] inert",
            "- shop: [get /metrics] inert",
            "- shop: [get secrets]");
    assertThat(changes(r.suggestion().added(), "+"))
        .containsExactly("+ shop: [delete pods web-0]", "+ cluster: [get /metrics]");
    assertThat(DiffSummary.changeLines(r.suggestion()))
        .anyMatch(l -> l.startsWith("- get, list nodes in shop, inert   ("))
        .anyMatch(l -> l.startsWith("- get secrets in shop   ("))
        .anyMatch(l -> l.startsWith("+ get /metrics cluster-wide   ("));
    assertThat(r.missing())
        .extracting(m -> m.request().describe())
        .containsExactly("get /metrics", "delete pods web-0 -n shop");
    assertThat(r.unusedGrants()).as("get pods, get secrets").isEqualTo(2);
    assertThat(r.inertRules()).isEqualTo(2);
    assertThat(r.bindings()).isEqualTo(1);
    assertThat(r.count(Finding.MISSING)).isEqualTo(2);
    assertThat(r.has(Finding.UNUSED)).isTrue();
    assertThat(DiffSummary.line(List.of(r)))
        .isEqualTo(
            "TOTAL: 1 subject(s) (1 seen in the audit log); missing 2, unused 3 rule(s), risky 0");
  }

  @Test
  void aWildcardGrantHasNoRequestThatStandsForItSoItCountsAsRemoved() {
    SubjectReview r =
        review("[{apiGroups: [''], resources: ['*'], verbs: [list]}]", AUTHENTICATED, LIST_PODS);
    assertThat(changes(r.suggestion().removed(), "-")).containsExactly("- shop: [list *]");
    assertThat(r.suggestion().added()).isEmpty();
  }

  @Test
  void exactlyWhatGenerateWouldWriteIsNoChange() {
    SubjectReview r =
        review("[{apiGroups: [''], resources: [pods], verbs: [list]}]", AUTHENTICATED, LIST_PODS);
    assertThat(r.suggestion().removed()).isEmpty();
    assertThat(r.suggestion().added()).isEmpty();
    assertThat(r.warnings()).isEmpty();
    assertThat(DiffSummary.changeLines(r.suggestion()))
        .containsExactly("(no change: the given RBAC grants exactly what generate would)");
  }

  @Test
  void aMemberOfSystemMastersIsWarnedAbout() {
    SubjectReview r =
        review(
            "[{apiGroups: [''], resources: [pods], verbs: [list]}]",
            List.of("system:masters", "system:authenticated"),
            LIST_PODS);
    assertThat(r.warnings())
        .containsExactly(
            "the subject is in system:masters: the apiserver allows all its requests before RBAC"
                + " runs");
  }

  @Test
  void theAlwaysHeldGroupsAreThoseOfEveryRequest() {
    var usage = Observed.usage(Outcome.ALLOWED, List.of("a", "b"), LIST_PODS);
    var more =
        Observed.usage(
            Outcome.ALLOWED,
            List.of("b", "c"),
            RequestAttributes.resource("get", "", "pods", "", "shop", "x"));
    Map<RequestAttributes, Usage> both = new TreeMap<>(RequestAttributes.ORDER);
    both.putAll(usage.requests());
    both.putAll(more.requests());
    assertThat(DiffReviewer.alwaysHeldGroups(both)).containsExactly("b");
    assertThat(DiffReviewer.alwaysHeldGroups(usage.requests())).containsExactly("a", "b");
    assertThat(DiffReviewer.alwaysHeldGroups(Map.of())).isEmpty();
  }
}
