package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.AuditEvents;
import dev.rbacsynth.Cli;
import dev.rbacsynth.Reports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * diff on a small cluster whose every binding is there to show one rule of the review: subject
 * forms, RoleBinding scope and inert grants, each risk, implied checks, denied requests, exit codes
 * and byte-identical output.
 */
class DiffCommandTest {

  static final String WEB = "system:serviceaccount:shop:web";

  static final String RBAC =
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata: {name: web, namespace: shop}
      rules:
      - {apiGroups: [''], resources: [secrets], resourceNames: [db], verbs: [get]}
      - {apiGroups: [''], resources: [configmaps], resourceNames: [app, other], verbs: [get]}
      - {apiGroups: [''], resources: [pods], verbs: [list, watch]}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: web, namespace: shop}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: web}
      subjects: [{kind: ServiceAccount, name: web}]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: ns-tools}
      rules:
      - {apiGroups: [''], resources: [pods, nodes], verbs: [get]}
      - {nonResourceURLs: [/metrics], verbs: [get]}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: tools, namespace: shop}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ns-tools}
      subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: 'system:serviceaccount:shop:web'}]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: dangerous}
      rules:
      - {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate, bind]}
      - {apiGroups: [''], resources: [users, groups], verbs: [impersonate]}
      - {apiGroups: [''], resources: [pods/exec, pods/attach], verbs: [create]}
      - {apiGroups: [''], resources: [nodes/proxy], verbs: [get]}
      - {apiGroups: [apps], resources: [daemonsets], verbs: [create]}
      - {apiGroups: [''], resources: [serviceaccounts/token], verbs: [create]}
      - {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}
      - {apiGroups: [certificates.k8s.io], resources: [signers], resourceNames: [example.com/ca], verbs: [approve]}
      - {apiGroups: [''], resources: [configmaps], resourceNames: [''], verbs: [list]}
      - {apiGroups: [example.com], resources: ['*'], verbs: [get]}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: dangerous}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: dangerous}
      subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: 'system:serviceaccounts:shop'}]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: secret-reader}
      rules:
      - {apiGroups: [''], resources: [secrets], verbs: [get, list]}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: all-sa-secrets}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
      subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: 'system:serviceaccounts'}]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: not-web, namespace: shop}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: web}
      subjects: [{kind: ServiceAccount, name: other}, {kind: ServiceAccount, name: web, namespace: elsewhere}]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: ns-less-sa}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
      subjects: [{kind: ServiceAccount, name: web}]
      """;

  @TempDir static Path tmp;
  static Path rbac;
  static Path log;
  static Path reversed;

  @BeforeAll
  static void cluster() throws IOException {
    rbac = Files.writeString(tmp.resolve("rbac.yaml"), RBAC);
    Instant t = Instant.parse("2026-05-04T10:00:00Z");
    List<AuditEvents.Event> events =
        List.of(
            AuditEvents.request(WEB, "get", "/api/v1/namespaces/shop/secrets/db", 200, t),
            AuditEvents.request(
                WEB, "get", "/api/v1/namespaces/shop/secrets/db", 200, t.plusSeconds(60)),
            AuditEvents.request(
                WEB, "get", "/api/v1/namespaces/shop/configmaps/app", 200, t.plusSeconds(1)),
            AuditEvents.request(WEB, "list", "/api/v1/namespaces/shop/pods", 200, t.plusSeconds(2)),
            AuditEvents.request(
                WEB, "get", "/api/v1/namespaces/shop/pods/web-0", 200, t.plusSeconds(3)),
            AuditEvents.request(
                WEB, "delete", "/api/v1/namespaces/shop/services/web", 403, t.plusSeconds(4)),
            AuditEvents.request(
                WEB, "delete", "/api/v1/namespaces/shop/services/web", 403, t.plusSeconds(5)),
            AuditEvents.request(
                WEB, "delete", "/api/v1/namespaces/shop/services/web", 403, t.plusSeconds(6)),
            AuditEvents.request(
                WEB, "patch", "/api/v1/namespaces/shop/configmaps/cache", 201, t.plusSeconds(7)),
            AuditEvents.request(WEB, "get", "/metrics", 200, t.plusSeconds(8)),
            AuditEvents.request(WEB, "get", "/api", 200, t.plusSeconds(9)),
            AuditEvents.request(
                "system:serviceaccount:shop:other",
                "get",
                "/api/v1/namespaces/shop/secrets/db",
                200,
                t.plusSeconds(10)));
    log = AuditEvents.write(tmp.resolve("audit.log"), events);
    List<AuditEvents.Event> backwards = new ArrayList<>(events);
    Collections.reverse(backwards);
    reversed = AuditEvents.write(tmp.resolve("reversed.log"), backwards);
  }

  private static Cli.Result diff(String... args) {
    List<String> all =
        new ArrayList<>(List.of("diff", "--rbac", rbac.toString(), "-f", log.toString(), "-q"));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  private static JsonNode webReport() {
    Cli.Result r = diff("--serviceaccount", "shop:web", "-o", "json");
    assertThat(r.err()).isEmpty();
    return Reports.json(r.out());
  }

  @Test
  void missingListsWhatTheExistingRbacDoesNotAllowWithWhatTheLogSays() {
    JsonNode missing = webReport().get("missing");
    List<String> requests =
        Reports.list(missing).stream()
            .map(
                m ->
                    m.get("verb").asString()
                        + " "
                        + m.get("resource").asString()
                        + m.get("nonResourceURL").asString()
                        + " "
                        + m.get("name").asString())
            .toList();
    // /metrics was allowed in the log, but the only grant that names it comes through a
    // RoleBinding: inert.
    assertThat(requests)
        .containsExactly(
            "get /metrics ",
            "create configmaps cache",
            "patch configmaps cache",
            "delete services web");
    JsonNode delete = missing.get(3);
    assertThat(delete.get("count").asLong()).isEqualTo(3);
    assertThat(delete.get("denied").asBoolean()).isTrue();
    assertThat(delete.get("deniedCount").asLong()).isEqualTo(3);
    assertThat(delete.get("firstSeen").asString()).isEqualTo("2026-05-04T10:00:04Z");
    assertThat(delete.get("lastSeen").asString()).isEqualTo("2026-05-04T10:00:06Z");
    assertThat(delete.get("namespace").asString()).isEqualTo("shop");
    assertThat(missing.get(0).get("denied").asBoolean()).isFalse();
    assertThat(missing.get(0).get("outcomes").get("allowed").asLong()).isEqualTo(1);
    assertThat(missing.get(1).get("implied").asString()).contains("201");
    assertThat(missing.get(2).get("implied").asString()).isEmpty();
  }

  @Test
  void everyServiceAccountSubjectFormReachesTheSubjectAndNothingElseDoes() {
    JsonNode report = webReport();
    List<String> bindings = new ArrayList<>();
    report
        .get("unused")
        .forEach(
            u ->
                bindings.add(
                    u.get("binding").get("name").asString()
                        + " via "
                        + u.get("matchedSubject").asString()));
    report
        .get("risky")
        .forEach(
            u ->
                bindings.add(
                    u.get("binding").get("name").asString()
                        + " via "
                        + u.get("matchedSubject").asString()));
    assertThat(bindings)
        .contains(
            "web via ServiceAccount \"web/shop\"",
            "tools via User \"system:serviceaccount:shop:web\"",
            "dangerous via Group \"system:serviceaccounts:shop\"",
            "all-sa-secrets via Group \"system:serviceaccounts\"");
    assertThat(bindings).noneMatch(b -> b.startsWith("not-web") || b.startsWith("ns-less-sa"));
  }

  @Test
  void unusedBreaksRulesIntoVerbsResourcesAndNamesAndReportsInertGrants() {
    JsonNode report = webReport();
    JsonNode configmaps = Reports.unused(report, "web", 1);
    assertThat(configmaps.get("status").asString()).isEqualTo("partly-unused");
    assertThat(Reports.field(configmaps.get("unusedGrants"), "resourceName"))
        .containsExactly("other");
    assertThat(configmaps.get("unusedResourceNames").toString()).isEqualTo("[\"other\"]");
    assertThat(Reports.unused(report, "web", 2).get("unusedVerbs").toString())
        .isEqualTo("[\"watch\"]");
    assertThat(report.get("unused").toString())
        .doesNotContain(
            "\"name\":\"web\"},\"role\":{\"kind\":\"Role\","
                + "\"name\":\"web\"},\"matchedSubject\":\"ServiceAccount \\\"web/shop\\\"\",\"ruleIndex\":0");

    JsonNode tools = Reports.unused(report, "tools", 0);
    assertThat(tools.get("status").asString()).isEqualTo("partly-inert");
    assertThat(Reports.field(tools.get("inertGrants"), "resource")).containsExactly("nodes");
    assertThat(tools.get("inertGrants").get(0).get("why").asString())
        .contains("nodes is cluster-scoped");
    JsonNode url = Reports.unused(report, "tools", 1);
    assertThat(url.get("status").asString()).isEqualTo("inert");
    assertThat(url.get("inertGrants").get(0).get("why").asString()).contains("non-resource URLs");

    JsonNode secrets = Reports.unused(report, "all-sa-secrets", 0);
    assertThat(secrets.get("status").asString()).isEqualTo("partly-unused");
    assertThat(secrets.get("unusedVerbs").toString()).isEqualTo("[\"list\"]");
    assertThat(Reports.unused(report, "dangerous", 0).get("status").asString()).isEqualTo("unused");
    assertThat(report.get("summary").get("unused").asInt()).isEqualTo(report.get("unused").size());
  }

  @Test
  void riskyGrantsAreFlaggedWhetherUsedOrNot() {
    JsonNode report = webReport();
    List<String> risks = Reports.risks(report);
    assertThat(risks)
        .containsExactly(
            "all-sa-secrets/0 secrets-read-cluster-wide",
            "dangerous/0 escalate",
            "dangerous/0 bind",
            "dangerous/1 impersonate",
            "dangerous/2 pods-exec",
            "dangerous/2 pods-attach",
            "dangerous/3 nodes-proxy",
            "dangerous/4 workloads-in-kube-system",
            "dangerous/5 serviceaccount-token",
            "dangerous/6 csr-approval",
            "dangerous/7 signer-approve",
            "dangerous/8 empty-resource-name",
            "dangerous/9 wildcard");
    report
        .get("risky")
        .forEach(k -> assertThat(k.get("why").asString()).isNotBlank().doesNotContain("\n"));
    assertThat(report.get("risky").get(7).get("why").asString())
        .isEqualTo(
            "create daemonsets.apps in kube-system: runs code there as any kube-system service account, "
                + "controllers' included");
    assertThat(report.get("risky").get(10).get("why").asString())
        .contains("named example.com/ca only: approves CSRs for those signers");
  }

  @Test
  void theSuggestionIsWhatGenerateWritesWithRemovedAndAddedGrants() {
    JsonNode report = webReport();
    JsonNode suggested = report.get("suggested");
    // The expansions would add grants shop:web neither used nor held, so the review suggests what
    // generate --exact writes, and says so.
    assertThat(report.get("warnings").toString())
        .contains("the suggestion is exact (no expansions): they would have added ");
    Cli.Result generate =
        Cli.run(
            "generate",
            "-f",
            log.toString(),
            "--serviceaccount",
            "shop:web",
            "-o",
            "json",
            "-q",
            "--exact");
    assertThat(suggested.get("manifests")).isEqualTo(Reports.json(generate.out()).get("items"));
    String removed = suggested.get("removed").toString();
    assertThat(removed).contains("ClusterRoleBinding dangerous -> ClusterRole dangerous rules[0]");
    assertThat(suggested.get("added").toString())
        .contains("\"verb\":\"delete\",\"apiGroup\":\"\"," + "\"resource\":\"services\"");
    Cli.Result text = diff("--serviceaccount", "shop:web");
    assertThat(text.out())
        .contains(
            "SUGGESTED: what `rbac-synth generate` would write for serviceaccount shop/web",
            "Before (grants of the given RBAC that reach the subject):",
            "After:",
            "Changes:",
            "  - escalate, bind clusterroles.rbac.authorization.k8s.io cluster-wide",
            "  + delete services web in shop",
            "Manifests:\n---\n");
  }

  @Test
  void whatGenerateWritesForABindingCreatorIsNeitherUnusedNorInert() throws IOException {
    // case 28: bind on ClusterRole edit, granted by a Role in team-a (checked in team-a)
    String[] subject = {
      "-f", "testdata/semantics/case-28.jsonl", "--serviceaccount", "platform:onboarder"
    };
    Cli.Result generated = Cli.run(concat(new String[] {"generate", "--exact"}, subject));
    assertThat(generated.exit()).isZero();
    Path rbac = Files.writeString(tmp.resolve("case-28-rbac.yaml"), generated.out());
    Cli.Result diff =
        Cli.run(
            concat(
                new String[] {"diff", "--rbac", rbac.toString(), "--fail-on", "missing,unused"},
                subject));
    assertThat(diff.out())
        .contains("UNUSED: none", "(0 grant(s), 0 with inert grants)")
        .contains(
            "bind clusterroles.rbac.authorization.k8s.io named edit only in namespace team-a");
    assertThat(diff.exit()).as(diff.out()).isZero();
  }

  private static String[] concat(String[] a, String[] b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }

  @Test
  void exitCodesFollowFailOn() {
    assertThat(diff("--serviceaccount", "shop:web").exit()).isEqualTo(1);
    assertThat(diff("--serviceaccount", "shop:web", "--fail-on", "none").exit()).isZero();
    assertThat(diff("--serviceaccount", "shop:web", "--fail-on", "unused,risky").exit())
        .isEqualTo(1);
    assertThat(diff("--serviceaccount", "shop:other", "--fail-on", "missing").exit()).isZero();
    assertThat(diff("--serviceaccount", "shop:other", "--fail-on", "risky").exit())
        .as(
            "the group binding of system:serviceaccounts:shop reaches every service account in shop")
        .isEqualTo(1);
    assertThat(diff("--serviceaccount", "shop:other", "--fail-on", "unused").exit()).isEqualTo(1);
    assertThat(diff("--serviceaccount", "shop:nobody").exit()).isEqualTo(3);
    for (String[] bad :
        List.of(
            new String[] {"--serviceaccount", "shop:web", "--fail-on", "everything"},
            new String[] {"--serviceaccount", "shop:web", "-o", "yaml"},
            new String[] {},
            new String[] {"--serviceaccount", "shop:web", "--all-subjects"})) {
      Cli.Result r = diff(bad);
      assertThat(r.exit()).as(String.join(" ", bad)).isEqualTo(2);
      assertThat(r.err()).startsWith("error: ");
    }
  }

  @Test
  void theSameInputGivesByteIdenticalReportsInEveryFormat() {
    for (String format : List.of("text", "json", "markdown")) {
      Cli.Result first = diff("--all-subjects", "-o", format);
      Cli.Result again = diff("--all-subjects", "-o", format);
      Cli.Result backwards =
          Cli.run(
              "diff",
              "--rbac",
              rbac.toString(),
              "-f",
              reversed.toString(),
              "-q",
              "--all-subjects",
              "-o",
              format);
      assertThat(again.out()).as(format).isEqualTo(first.out());
      assertThat(backwards.out()).as(format + ", events in reverse order").isEqualTo(first.out());
    }
  }

  @Test
  void allSubjectsReviewsEveryBoundSubjectSorted() {
    JsonNode all = Reports.json(diff("--all-subjects", "-o", "json").out());
    List<String> subjects = new ArrayList<>();
    all.get("reports")
        .forEach(
            r ->
                subjects.add(
                    r.get("subject").get("kind").asString()
                        + " "
                        + r.get("subject").get("username").asString()
                        + r.get("subject").get("name").asString()));
    assertThat(subjects)
        .containsExactly(
            "Group system:serviceaccounts",
            "Group system:serviceaccounts:shop",
            "ServiceAccount system:serviceaccount:elsewhere:webweb",
            "ServiceAccount system:serviceaccount:shop:otherother",
            "ServiceAccount system:serviceaccount:shop:webweb");
    assertThat(all.get("summary").get("subjects").asInt()).isEqualTo(5);
    assertThat(all.get("summary").get("subjectsSeen").asInt()).isEqualTo(4);
    String text = diff("--all-subjects").out();
    assertThat(text.indexOf("SUBJECT: group system:serviceaccounts ("))
        .isLessThan(text.indexOf("SUBJECT: serviceaccount shop/web"));
    assertThat(text).contains("TOTAL: 5 subject(s) (4 seen in the audit log)");
  }

  @Test
  void textAndMarkdownShowTheSameFindings() {
    String text = diff("--serviceaccount", "shop:web").out();
    assertThat(text).startsWith("OBSERVED: ");
    assertThat(text).contains("\n\nSUBJECT: serviceaccount shop/web (11 event(s)");
    assertThat(text)
        .contains(
            "MISSING: 4 observed request(s) the existing RBAC does not allow",
            "REQUEST",
            "delete services web -n shop ",
            "denied",
            "UNUSED: ",
            "RoleBinding shop/tools",
            "partly-inert",
            "inert: get nodes (nodes is cluster-scoped",
            "RISKY: 13 dangerous grant(s)",
            "SUMMARY: missing 4");
    String md = diff("--serviceaccount", "shop:web", "-o", "markdown").out();
    assertThat(md).startsWith("# rbac-synth diff: serviceaccount shop/web\n");
    assertThat(md)
        .contains(
            "**4 missing**",
            "## Missing\n\n| request | count |",
            "| `delete services web -n shop` | 3 |",
            "## Unused: not used in the ",
            " window\n\n| binding |",
            "## Risky\n\n| binding |",
            "| **secrets-read-cluster-wide** |",
            "```diff\n- ",
            "<details><summary>Suggested manifests</summary>");
  }
}
