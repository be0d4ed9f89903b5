package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.Reports;
import dev.rbacsynth.TestData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * diff of real, published RBAC against the real usage of the same service accounts in the hkerma
 * audit log (a kubeadm 1.23 cluster installing Helm charts, four minutes of it), checked for what a
 * reviewer would conclude, in all three formats.
 */
class DiffRealDataTest {

  private static Cli.Result diff(String serviceAccount, String format, String... rbac) {
    return Cli.diff(
        HkermaAuditLog.jsonl().toString(),
        serviceAccount,
        format,
        List.of(rbac),
        "--fail-on",
        "missing");
  }

  private static JsonNode report(String serviceAccount, String... rbac) {
    Cli.Result r = diff(serviceAccount, "json", rbac);
    assertThat(r.err()).isEmpty();
    return Reports.json(r.out());
  }

  /**
   * The three formats agree on the counts; text and Markdown name every unused and risky binding.
   */
  private static void assertFormatsAgree(String serviceAccount, String... rbac) {
    JsonNode json = report(serviceAccount, rbac);
    JsonNode summary = json.get("summary");
    String text = diff(serviceAccount, "text", rbac).out();
    String md = diff(serviceAccount, "markdown", rbac).out();
    assertThat(text)
        .contains(
            "SUMMARY: missing "
                + summary.get("missing").asInt()
                + ", unused "
                + summary.get("unused").asInt()
                + " rule(s) ("
                + summary.get("unusedGrants").asInt()
                + " grant(s)");
    assertThat(md)
        .contains(
            "**"
                + summary.get("missing").asInt()
                + " missing**, **"
                + summary.get("unused").asInt()
                + " unused rule(s)** ("
                + summary.get("unusedGrants").asInt()
                + " grants), **"
                + summary.get("risky").asInt()
                + " risky**");
    for (JsonNode entry : Reports.list(json.get("unused"))) {
      String binding = entry.get("binding").get("name").asString();
      assertThat(text).contains(binding);
      assertThat(md).contains(binding);
    }
    for (JsonNode entry : Reports.list(json.get("risky"))) {
      assertThat(text).contains(entry.get("risk").asString());
      assertThat(md).contains("**" + entry.get("risk").asString() + "**");
    }
    if (json.get("missing").isEmpty()) {
      assertThat(text).contains("MISSING: none");
      assertThat(md).contains("## Missing\n\nNone");
    }
  }

  @Test
  void flannelUsesOnlyNodeListAndWatch() {
    JsonNode r = report("kube-flannel:flannel", TestData.FLANNEL);
    assertThat(r.get("events").asLong()).isPositive();
    assertThat(r.get("missing")).isEmpty();
    assertThat(Reports.unused(r, "flannel", 0).get("status").asString())
        .isEqualTo("unused"); // get pods
    assertThat(Reports.unused(r, "flannel", 1).get("unusedVerbs").toString())
        .isEqualTo("[\"get\"]");
    JsonNode status = Reports.unused(r, "flannel", 2);
    assertThat(status.get("status").asString()).isEqualTo("unused");
    assertThat(status.get("rule").get("resources").toString()).isEqualTo("[\"nodes/status\"]");
    assertThat(r.get("risky")).isEmpty();
    assertFormatsAgree("kube-flannel:flannel", TestData.FLANNEL);

    // The manifest master served on the audit date also grants clustercidrs, which flannel never
    // touched.
    JsonNode master = report("kube-flannel:flannel", TestData.FLANNEL_MASTER);
    assertThat(master.get("missing")).isEmpty();
    assertThat(
            Reports.list(master.get("unused")).stream()
                .filter(u -> u.get("rule").get("resources").toString().contains("clustercidrs"))
                .map(u -> u.get("status").asString())
                .toList())
        .containsExactly("unused");
  }

  @Test
  void corednsNeverListsEndpointsOrPods() {
    JsonNode r = report("kube-system:coredns", TestData.COREDNS);
    assertThat(r.get("missing")).isEmpty();
    JsonNode core = Reports.unused(r, "system:coredns", 0);
    assertThat(core.get("status").asString()).isEqualTo("partly-unused");
    assertThat(core.get("unusedResources").toString()).isEqualTo("[\"endpoints\",\"pods\"]");
    assertThat(core.get("unusedVerbs")).isEmpty();
    assertThat(Reports.field(r.get("unused"), "ruleIndex"))
        .containsExactly("0"); // endpointslices: used
    assertThat(r.get("risky")).isEmpty();
    JsonNode removed = r.get("suggested").get("removed");
    assertThat(removed).hasSize(1);
    assertThat(Reports.field(removed.get(0).get("grants"), "resource"))
        .containsExactlyInAnyOrder("endpoints", "pods", "endpoints", "pods");
    assertFormatsAgree("kube-system:coredns", TestData.COREDNS);
  }

  @Test
  void kubeProxyWatchesEndpointSlicesNotEndpointsAndRecordsNoEvents() {
    String[] rbac = {TestData.BOOTSTRAP_CLUSTER_ROLES, TestData.KUBE_PROXY_BINDING};
    JsonNode r = report("kube-system:kube-proxy", rbac);
    assertThat(r.get("missing")).isEmpty();
    assertThat(Reports.unused(r, "system:kube-proxy", 0).get("unusedResources").toString())
        .isEqualTo("[\"endpoints\"]");
    assertThat(Reports.unused(r, "system:kube-proxy", 2).get("status").asString())
        .isEqualTo("unused"); // events
    assertThat(r.get("risky")).isEmpty();
    assertFormatsAgree("kube-system:kube-proxy", rbac);
  }

  @Test
  void theBootstrapControllerRolesCoverEveryControllerButGrantFarMoreThanFourMinutesUse() {
    Cli.Result all =
        Cli.run(
            "diff",
            "--rbac",
            TestData.BOOTSTRAP,
            "-f",
            HkermaAuditLog.jsonl().toString(),
            "-q",
            "--all-subjects",
            "-o",
            "json",
            "--fail-on",
            "missing");
    JsonNode reports = Reports.json(all.out()).get("reports");
    List<JsonNode> controllers =
        Reports.list(reports).stream()
            .filter(
                x ->
                    x.get("subject").get("namespace").asString().equals("kube-system")
                        && x.get("events").asLong() > 0)
            .toList();
    assertThat(controllers)
        .extracting(x -> x.get("subject").get("name").asString())
        .contains(
            "deployment-controller",
            "replicaset-controller",
            "namespace-controller",
            "generic-garbage-collector",
            "resourcequota-controller",
            "statefulset-controller",
            "job-controller",
            "endpointslice-controller");
    for (JsonNode c : controllers) {
      assertThat(c.get("missing")).as(c.get("subject").toString()).isEmpty();
      assertThat(c.get("unused")).as(c.get("subject").toString()).isNotEmpty();
    }
    // Missing requests belong to their requester: none is reported under a group (before, the
    // group system:authenticated collected every user's request), and the exit code follows the
    // members' own missing requests.
    assertThat(Reports.list(reports))
        .filteredOn(x -> x.get("subject").get("kind").asString().equals("Group"))
        .isNotEmpty()
        .allSatisfy(g -> assertThat(g.get("missing")).isEmpty());
    boolean anyMissing = Reports.list(reports).stream().anyMatch(x -> !x.get("missing").isEmpty());
    assertThat(all.exit()).isEqualTo(anyMissing ? 1 : 0);
  }

  @Test
  void theDeploymentControllerOnlyUpdatedStatusAndCreatedReplicaSets() {
    JsonNode r = report("kube-system:deployment-controller", TestData.BOOTSTRAP);
    String role = "system:controller:deployment-controller";
    assertThat(r.get("missing")).isEmpty();
    assertThat(Reports.unused(r, role, 2).get("rule").get("resources").toString())
        .isEqualTo("[\"deployments/finalizers\"]");
    assertThat(Reports.unused(r, role, 2).get("status").asString()).isEqualTo("unused");
    assertThat(Reports.unused(r, role, 1).get("unusedApiGroups").toString())
        .isEqualTo("[\"extensions\"]");
    assertThat(Reports.unused(r, role, 3).get("unusedVerbs").toString())
        .isEqualTo("[\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]");
    assertThat(Reports.risks(r)).containsExactly(role + "/3 workloads-in-kube-system");
    assertFormatsAgree("kube-system:deployment-controller", TestData.BOOTSTRAP);
  }

  @Test
  void replicaSetControllerCreatesThatTheLogShowsDeniedAreAllowedByRbac() {
    JsonNode r = report("kube-system:replicaset-controller", TestData.BOOTSTRAP);
    // 16 pod creates in kube-system got 403 in the log, but RBAC allows them: not missing.
    assertThat(r.get("missing")).isEmpty();
    assertThat(Reports.risks(r))
        .containsExactly("system:controller:replicaset-controller/3 workloads-in-kube-system");
    assertThat(r.get("risky").get(0).get("why").asString())
        .startsWith("create pods in kube-system");
  }

  @Test
  void wildcardControllersCanReadEverySecret() {
    for (var wildcardRule :
        Map.of(
                "namespace-controller",
                2,
                "generic-garbage-collector",
                0,
                "resourcequota-controller",
                0)
            .entrySet()) {
      String sa = wildcardRule.getKey();
      JsonNode r = report("kube-system:" + sa, TestData.BOOTSTRAP);
      String rule = "system:controller:" + sa + "/" + wildcardRule.getValue();
      assertThat(r.get("missing")).as(sa).isEmpty();
      assertThat(Reports.risks(r))
          .as(sa)
          .contains(rule + " wildcard", rule + " secrets-read-cluster-wide");
    }
  }

  @Test
  void gatekeeperReadsEverythingAndStillHoldsAPodSecurityPolicyGrant() {
    JsonNode r = report("gatekeeper-system:gatekeeper-admin", TestData.GATEKEEPER);
    assertThat(r.get("missing")).isEmpty();
    List<String> risks = Reports.risks(r);
    assertThat(risks)
        .contains(
            "gatekeeper-manager-rolebinding/0 wildcard",
            "gatekeeper-manager-rolebinding/0 secrets-read-cluster-wide");
    assertThat(
            Reports.list(r.get("unused")).stream()
                .filter(
                    u -> u.get("rule").get("resources").toString().contains("podsecuritypolicies"))
                .map(u -> u.get("status").asString())
                .toList())
        .containsExactly("unused");
    assertFormatsAgree("gatekeeper-system:gatekeeper-admin", TestData.GATEKEEPER);
  }

  /**
   * Argo CD's application controller holds {@code '*'} on every verb, group, resource and URL; in
   * the real log it only read its own configmaps and secrets and its applications. UNUSED says what
   * each wildcard narrows to, in every format.
   */
  @Test
  void starRulesUsedOnlyInPartSayWhatTheyNarrowTo() {
    JsonNode r = Reports.json(argoCd("json").out());
    assertThat(r.get("missing")).isEmpty();
    List<JsonNode> unused = Reports.list(r.get("unused"));
    assertThat(unused).hasSize(2);
    JsonNode resources = unused.get(0);
    assertThat(resources.get("rule").get("verbs").toString()).isEqualTo("[\"*\"]");
    assertThat(resources.get("status").asString()).isEqualTo("partly-unused");
    assertThat(resources.get("unusedGrants")).as("every atomic grant '*' was used").isEmpty();
    assertThat(resources.get("narrowWildcards").toString())
        .isEqualTo(
            "[{\"field\":\"verbs\",\"wildcard\":\"*\",\"usedAs\":[\"get\",\"list\",\"watch\"]},"
                + "{\"field\":\"apiGroups\",\"wildcard\":\"*\",\"usedAs\":[\"\",\"argoproj.io\"]},"
                + "{\"field\":\"resources\",\"wildcard\":\"*\",\"usedAs\":"
                + "[\"applications\",\"appprojects\",\"configmaps\",\"secrets\"]}]");
    assertThat(unused.get(1).get("narrowWildcards").toString())
        .isEqualTo(
            "[{\"field\":\"verbs\",\"wildcard\":\"*\",\"usedAs\":[\"get\"]},"
                + "{\"field\":\"nonResourceURLs\",\"wildcard\":\"*\",\"usedAs\":[\"/version\"]}]");
    assertThat(r.get("summary").get("wildcardRules").asInt()).isEqualTo(2);
    String text = argoCd("text").out();
    assertThat(text)
        .contains(
            "UNUSED: 2 rule(s) with 0 grant(s) not used in the 4-minute window; 2 with a wildcard"
                + " used only in part",
            "narrow verbs * to [get,list,watch] (the rest of * was not used)",
            "narrow apiGroups * to [\"\",argoproj.io] (the rest of * was not used)",
            "narrow nonResourceURLs * to [/version]");
    assertThat(argoCd("markdown").out())
        .contains("narrow resources \\* to [applications,appprojects,configmaps,secrets]");
  }

  /** Argo CD's application controller against its real install manifest. */
  private static Cli.Result argoCd(String format) {
    return Cli.diff(
        HkermaAuditLog.jsonl().toString(),
        "argo-cd:argocd-application-controller",
        format,
        List.of(TestData.ARGO_CD),
        "--map-subject",
        "argocd:*=argo-cd:*");
  }
}
