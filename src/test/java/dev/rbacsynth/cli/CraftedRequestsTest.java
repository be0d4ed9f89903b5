package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.AuditEvents;
import dev.rbacsynth.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 15, section 1, end to end: a subject that sends crafted requests (a literal {@code *} in a
 * URL or as the method, an empty name segment, a namespace {@code *}) next to its real ones gets
 * RBAC for the real ones only, whatever the expansions; the crafted ones are named in the summary
 * and in the denied report as refused, with why; {@code --verify} proves the result tight under
 * {@code --exact}. The events are written as the apiserver's log backend writes them.
 */
class CraftedRequestsTest {

  private static final String WEB = "system:serviceaccount:shop:web";
  private static final Instant T0 = Instant.parse("2026-05-04T10:00:00.000001Z");

  @TempDir Path tmp;

  /**
   * What the subject really did, then what it crafted (several of them denied, as they would be).
   */
  private Path log() {
    List<AuditEvents.Event> events = new ArrayList<>();
    String[][] real = {
      {"get", "/api/v1/namespaces/shop/configmaps/web-config", "200"},
      {"list", "/api/v1/namespaces/shop/pods?limit=500", "200"},
      {"create", "/api/v1/namespaces/shop/pods/web-0/exec?command=date&stdout=true", "101"},
      {"get", "/metrics", "200"},
    };
    String[][] crafted = {
      {"list", "/apis/*/*/*", "403"},
      {"list", "/api/v1/namespaces/shop/*", "403"},
      {"get", "/apis/%2A/v1/namespaces/shop/secrets", "403"},
      {"get", "/*", "403"},
      {"*", "/logs", "403"},
      {"create", "/api/v1/namespaces/shop/pods//exec?command=sh", "404"},
      {"create", "/api/v1/namespaces/shop/serviceaccounts//token", "404"},
      {"get", "/api/v1/nodes//proxy/metrics", "403"},
      {"list", "/api/v1/namespaces/*/secrets", "403"},
      {"list", "/api/v1/namespaces//secrets", "200"},
    };
    int i = 0;
    for (String[] r : real) {
      events.add(AuditEvents.request(WEB, r[0], r[1], Integer.parseInt(r[2]), T0.plusSeconds(i++)));
    }
    for (String[] r : crafted) {
      events.add(AuditEvents.request(WEB, r[0], r[1], Integer.parseInt(r[2]), T0.plusSeconds(i++)));
    }
    return AuditEvents.write(tmp.resolve("audit.log"), events);
  }

  @Test
  void craftedRequestsAreRefusedWhateverTheExpansions() throws IOException {
    Path log = log();
    for (List<String> options :
        List.<List<String>>of(
            List.of("--exact"), List.of(), List.of("--expand-multi-name=false"))) {
      Path report = tmp.resolve("denied.json");
      List<String> args = new ArrayList<>(List.of("generate", "-f", log.toString()));
      args.addAll(List.of("--serviceaccount", "shop:web", "--verify"));
      args.addAll(List.of("--denied-report", report.toString()));
      args.addAll(options);
      Cli.Result r = Cli.run(args.toArray(String[]::new));

      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out())
          .as("options %s", options)
          .doesNotContain("'*'", "\"*\"", "/*", "- '*/")
          .contains("configmaps", "pods/exec", "/metrics");
      for (var doc : r.documents()) {
        if (String.valueOf(doc.get("kind")).endsWith("Role")) {
          assertThat(String.valueOf(doc.get("rules"))).doesNotContain("*");
        }
      }
      // a Role in namespace "*" or a cluster-wide read of secrets would be these
      assertThat(r.out()).doesNotContain("namespace: '*'").doesNotContain("secrets");
      assertThat(r.err())
          .contains("event(s) not used: refused, never granted")
          .contains("refused: list * -n shop")
          .contains("refused: get /* ")
          .contains("refused: * /logs")
          .contains("has an empty segment")
          .contains("refused (never granted");
      assertThat(r.err()).contains("verified:");

      JsonNode denied = JsonMapper.builder().build().readTree(Files.readString(report));
      List<JsonNode> refused = new ArrayList<>();
      denied
          .get("denied")
          .forEach(
              e -> {
                if (e.get("denial").asString().equals("refused")) {
                  refused.add(e);
                }
              });
      assertThat(refused).hasSize(10);
      assertThat(refused).allSatisfy(e -> assertThat(e.get("note").asString()).isNotBlank());
      assertThat(denied.at("/summary/refused").asLong()).isEqualTo(10);
    }
  }

  @Test
  void theTextAndMarkdownReportsSayWhy() throws IOException {
    Path log = log();
    for (String name : List.of("denied.txt", "denied.md")) {
      Path report = tmp.resolve(name);
      Cli.Result r =
          Cli.run(
              "generate",
              "-f",
              log.toString(),
              "--serviceaccount",
              "shop:web",
              "-q",
              "--denied-report",
              report.toString());
      assertThat(r.exit()).as(r.err()).isZero();
      String text = Files.readString(report, StandardCharsets.UTF_8);
      assertThat(text)
          .as(name)
          .containsIgnoringCase("why")
          .contains("refused")
          .contains("which RBAC reads as every verb")
          .contains("has an empty segment");
    }
  }

  @Test
  void exactVerifyProvesTheResultTight() {
    Cli.Result r =
        Cli.run(
            "generate",
            "-f",
            log().toString(),
            "--serviceaccount",
            "shop:web",
            "--exact",
            "--verify");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("no rule allows anything that was not observed");
  }

  @Test
  void diffDoesNotCallARefusedRequestMissing() throws IOException {
    Path rbac =
        Files.writeString(
            tmp.resolve("rbac.yaml"),
            Cli.run("generate", "-f", log().toString(), "--serviceaccount", "shop:web", "-q")
                .out());
    Cli.Result diff =
        Cli.run(
            "diff",
            "--rbac",
            rbac.toString(),
            "-f",
            log().toString(),
            "--serviceaccount",
            "shop:web",
            "-o",
            "json",
            "-q");
    assertThat(diff.exit()).as(diff.err() + diff.out()).isZero();
    JsonNode report = JsonMapper.builder().build().readTree(diff.out());
    assertThat(report.get("missing")).isEmpty();
    assertThat(report.get("warnings").toString())
        .contains("refused, not counted as missing: list * -n shop");
  }

  // --- bindings the apiserver would reject grant nothing

  private Path flannelWithRoleRefGroup(String group) throws IOException {
    String manifest =
        Files.readString(Path.of("testdata/rbac/flannel-v0.20.2/kube-flannel.yml"))
            .replace(
                "roleRef:\n  apiGroup: rbac.authorization.k8s.io",
                group == null ? "roleRef:" : "roleRef:\n  apiGroup: " + group);
    return Files.writeString(tmp.resolve("flannel.yml"), manifest);
  }

  @Test
  void canIRefusesABindingWithAnotherRoleRefGroup() throws IOException {
    for (String group : List.of("\"\"", "rbac.authorization.k8s.io")) {
      assertThat(canIPatchNodeStatus(flannelWithRoleRefGroup(group)).out()).isEqualTo("yes\n");
    }
    assertThat(canIPatchNodeStatus(flannelWithRoleRefGroup(null)).out()).isEqualTo("yes\n");
    for (String group : List.of("example.com", "rbac.authorization.k8s.io.evil", "\"*\"", "apps")) {
      Cli.Result r = canIPatchNodeStatus(flannelWithRoleRefGroup(group));
      assertThat(r.out()).as(group).isEqualTo("no\n");
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).contains("roleRef.apiGroup other than rbac.authorization.k8s.io");
    }
  }

  private static Cli.Result canIPatchNodeStatus(Path rbac) {
    return Cli.run(
        "can-i",
        "--rbac",
        rbac.toString(),
        "--as",
        "system:serviceaccount:kube-flannel:flannel",
        "patch",
        "nodes/status");
  }

  @Test
  void diffWarnsAboutABindingWithAnotherRoleRefGroupAndCountsItsRulesNowhere() throws IOException {
    Path rbac = flannelWithRoleRefGroup("example.com");
    Path audit =
        AuditEvents.write(
            tmp.resolve("flannel.log"),
            List.of(
                AuditEvents.request(
                    "system:serviceaccount:kube-flannel:flannel",
                    "patch",
                    "/api/v1/nodes/node-1/status",
                    200,
                    T0)));
    Cli.Result diff =
        Cli.run(
            "diff",
            "--rbac",
            rbac.toString(),
            "-f",
            audit.toString(),
            "--serviceaccount",
            "kube-flannel:flannel",
            "-o",
            "json",
            "-q");
    assertThat(diff.exit()).isEqualTo(1);
    JsonNode report = JsonMapper.builder().build().readTree(diff.out());
    assertThat(report.get("missing").toString()).contains("\"verb\":\"patch\"");
    assertThat(report.get("unused")).isEmpty();
    assertThat(diff.err()).contains("ClusterRoleBinding flannel (example.com)");
  }
}
