package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated names on the real hkerma log (issue 14, section 6): the ingress-nginx controller reads
 * its own pod, {@code my-ingress-nginx-controller-6585b4f8f7-wltlx}, a name the next rollout
 * changes; the ReplicaSet controller patches an Event named after its time. Both are granted for
 * any name, the summary and --explain say so, --keep-generated-names and --exact keep them; the
 * summary names the write verbs an expansion granted cluster-wide.
 */
class GeneratedNamesCliTest {
  private static final String POD = "my-ingress-nginx-controller-6585b4f8f7-wltlx";

  private static Cli.Result generate(String sa, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "generate",
                "-f",
                HkermaAuditLog.jsonl().toString(),
                "--serviceaccount",
                sa,
                "--min-window",
                "0s"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  /** The rule of the Role in {@code namespace} on {@code resource}. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> rule(Cli.Result r, String namespace, String resource) {
    for (Map<String, Object> d : r.documents()) {
      Map<String, Object> meta = (Map<String, Object>) d.get("metadata");
      if (d.get("kind").equals("Role") && namespace.equals(meta.get("namespace"))) {
        for (Map<String, Object> rule : (List<Map<String, Object>>) d.get("rules")) {
          if (((List<String>) rule.get("resources")).contains(resource)) {
            return rule;
          }
        }
      }
    }
    throw new AssertionError("no rule on " + resource + " in " + namespace);
  }

  @Test
  void aRealRolloutHashPodNameIsGrantedForAnyNameAndTheSummarySaysSo(@TempDir Path dir)
      throws IOException {
    Path why = dir.resolve("why.txt");
    Cli.Result r =
        generate("ingress-nginx:my-ingress-nginx", "--explain", why.toString(), "--verify");
    assertThat(r.exit()).isZero();
    assertThat(rule(r, "ingress-nginx", "pods"))
        .isEqualTo(
            Map.of(
                "apiGroups", List.of(""), "resources", List.of("pods"), "verbs", List.of("get")));
    assertThat(r.out()).doesNotContain(POD);
    assertThat(r.err())
        .contains(
            "rbac-synth: generated names: 1 request(s) on names a controller generated are granted"
                + " for any name (--keep-generated-names pins them):\n"
                + "rbac-synth:   get pods "
                + POD
                + " -n ingress-nginx: a pod of the Deployment's ReplicaSet"
                + " my-ingress-nginx-controller-6585b4f8f7 (pod-template hash and random suffix)\n",
            "rbac-synth: verified: all 18 selected requests are allowed");
    String explain = Files.readString(why);
    assertThat(explain)
        .contains("resources=[pods] verbs=[get]\n  expansions: generated-names\n")
        .contains(
            "generated-names (a pod of the Deployment's ReplicaSet"
                + " my-ingress-nginx-controller-6585b4f8f7 (pod-template hash and random suffix):"
                + " granted for any name)");
    for (String keep : List.of("--keep-generated-names", "--exact")) {
      Cli.Result pinned = generate("ingress-nginx:my-ingress-nginx", keep);
      assertThat(rule(pinned, "ingress-nginx", "pods").get("resourceNames"))
          .as(keep)
          .isEqualTo(List.of(POD));
      assertThat(pinned.err()).as(keep).doesNotContain("generated names");
    }
  }

  @Test
  void anEventNamedAfterItsTimeIsWidenedAndClusterWideWritesAreNamed() {
    Cli.Result r = generate("kube-system:replicaset-controller");
    assertThat(r.exit()).isZero();
    assertThat(rule(r, "kube-system", "events"))
        .isEqualTo(
            Map.of(
                "apiGroups", List.of(""),
                "resources", List.of("events"),
                "verbs", List.of("get", "patch", "update")));
    assertThat(r.err())
        .contains(
            "rbac-synth:   patch events policy-test-5bc859c67f.173e3ddb01a2e3b9 -n kube-system: an"
                + " Event about policy-test-5bc859c67f (named after its time, 173e3ddb01a2e3b9)\n",
            "rbac-synth: cluster-wide writes: --expand-multi-namespace granted write verbs in every"
                + " namespace: create events (seen in 8 namespaces); create pods (seen in 8"
                + " namespaces); patch, update replicasets/status (apps) (seen in 7 namespaces)"
                + " (--expand-multi-namespace=false keeps them per namespace)\n");
    assertThat(
            generate("kube-system:replicaset-controller", "--expand-multi-namespace=false").err())
        .doesNotContain("cluster-wide writes");
  }

  /** The summary names the verbs --expand-verbs added beyond the observed ones, per resource. */
  @Test
  void addedVerbsAreNamedPerResource() {
    Cli.Result r = generate("ingress-nginx:my-ingress-nginx");
    assertThat(r.exit()).isZero();
    assertThat(r.err())
        .contains(
            "rbac-synth: added verbs: --expand-verbs granted verbs not observed: get"
                + " endpointslices (discovery.k8s.io) (seen: list, watch);",
            "; patch leases (coordination.k8s.io) (seen: get, update); get secrets (seen: list,"
                + " watch) (--expand-verbs=false keeps the observed verbs only)\n");
    assertThat(generate("ingress-nginx:my-ingress-nginx", "--expand-verbs=false").err())
        .doesNotContain("added verbs");
  }

  /**
   * diff's suggestion for the real ingress-nginx manifest: the verb expansion would add a patch of
   * the leader lease that nobody used or had, so the suggestion drops the expansions, but it still
   * grants the generated pod name for any name (the manifest grants get pods in the namespace);
   * --keep-generated-names pins it.
   */
  @Test
  void diffsSuggestionKeepsNotPinningGeneratedNamesWhenItDropsTheExpansions() {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "diff",
                "-f",
                HkermaAuditLog.jsonl().toString(),
                "--rbac",
                dev.rbacsynth.TestData.INGRESS_NGINX,
                "--serviceaccount",
                "ingress-nginx:my-ingress-nginx",
                "--map-subject",
                "ingress-nginx:ingress-nginx*=ingress-nginx:my-ingress-nginx*",
                "-q",
                "--fail-on",
                "none"));
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains(
            "WARNING: the suggestion has no namespace, name or verb expansion (names a controller"
                + " generated are still granted for any name): they would have added patch"
                + " leases.coordination.k8s.io my-ingress-nginx-leader in ingress-nginx, which was"
                + " neither observed nor granted by the given RBAC")
        .contains("apiGroups=[\"\"] resources=[pods] verbs=[get]\n")
        .doesNotContain("resourceNames=[" + POD + "]");
    args.add("--keep-generated-names");
    assertThat(Cli.run(args.toArray(String[]::new)).out())
        .contains("WARNING: the suggestion is exact (no expansions)")
        .contains("resources=[pods] resourceNames=[" + POD + "] verbs=[get]");
  }
}
