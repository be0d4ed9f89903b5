package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.Reports;
import dev.rbacsynth.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Evidence per rule on real data: {@code generate --explain} for the ingress-nginx controller of
 * the hkerma log, and diff's used[] for flannel's real manifest.
 */
class EvidenceCliTest {
  private static final String NGINX = "ingress-nginx:my-ingress-nginx";

  @TempDir Path tmp;

  /** generate for the ingress-nginx controller on the hkerma log, then the further arguments. */
  private static Cli.Result generateNginx(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "generate", "-f", HkermaAuditLog.jsonl().toString(), "--serviceaccount", NGINX));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  /** diff of flannel's real manifest against flannel's use of the hkerma log. */
  private static Cli.Result diffFlannel(String format) {
    return Cli.diff(
        HkermaAuditLog.jsonl().toString(),
        "kube-flannel:flannel",
        format,
        List.of(TestData.FLANNEL));
  }

  /** auditID -> requestReceivedTimestamp of every event of the log, to check samples against. */
  private static Map<String, String> auditIds() throws IOException {
    Map<String, String> ids = new HashMap<>();
    JsonMapper mapper = new JsonMapper();
    for (String line : Files.readAllLines(HkermaAuditLog.jsonl())) {
      JsonNode e = mapper.readTree(line);
      ids.put(e.get("auditID").asString(), e.get("user").get("username").asString());
    }
    return ids;
  }

  @Test
  void explainListsTheRequestsBehindEveryGeneratedRule() throws IOException {
    Path json = tmp.resolve("why.json");
    Cli.Result r = generateNginx("-o", "json", "--explain", json.toString());
    assertThat(r.exit()).isZero();
    JsonNode explain = Reports.json(Files.readString(json));
    assertThat(explain.get("observation").get("events").asLong()).isEqualTo(16_563);
    JsonNode subject = explain.get("subjects").get(0);
    assertThat(subject.get("subject").asString())
        .isEqualTo("serviceaccount ingress-nginx/my-ingress-nginx");
    // One evidence entry per rule written, in the manifests' order.
    List<String> written = new ArrayList<>();
    for (JsonNode doc : Reports.list(Reports.json(r.out()).get("items"))) {
      if (doc.get("kind").asString().endsWith("Role")) {
        for (int i = 0; i < doc.get("rules").size(); i++) {
          written.add(doc.get("kind").asString() + "#" + i + " " + doc.get("rules").get(i));
        }
      }
    }
    List<String> explained = new ArrayList<>();
    Map<String, String> ids = auditIds();
    Set<String> expansions = new HashSet<>();
    for (JsonNode rule : Reports.list(subject.get("rules"))) {
      explained.add(rule.get("roleKind").asString() + "#" + rule.get("ruleIndex").asInt());
      assertThat(rule.get("requests"))
          .as("every rule has observed requests behind it")
          .isNotEmpty();
      rule.get("expansions").forEach(e -> expansions.add(e.asString()));
      for (JsonNode q : Reports.list(rule.get("requests"))) {
        assertThat(q.get("count").asLong()).isPositive();
        assertThat(q.get("firstSeen").asString()).isLessThanOrEqualTo(q.get("lastSeen").asString());
        // The sample is a real audit ID of the subject's.
        assertThat(ids.get(q.get("sampleAuditID").asString()))
            .isEqualTo("system:serviceaccount:ingress-nginx:my-ingress-nginx");
      }
    }
    assertThat(explained)
        .containsExactlyElementsOf(
            written.stream().map(w -> w.substring(0, w.indexOf(' '))).toList());
    assertThat(expansions).contains("verbs");
    // The same as text and Markdown.
    Path text = tmp.resolve("why.txt");
    Path md = tmp.resolve("why.md");
    generateNginx("-q", "--explain", text.toString());
    generateNginx("-q", "--explain", md.toString());
    assertThat(Files.readString(text))
        .startsWith("OBSERVED: 2023-01-27T18:28:08.127428Z")
        .contains("SUBJECT: serviceaccount ingress-nginx/my-ingress-nginx")
        .contains(
            "ClusterRole rbac-synth:system:serviceaccount:ingress-nginx:my-ingress-nginx rules[0]")
        .contains("VERB", "SAMPLE AUDIT ID", "WIDENED BY", "verbs (+");
    assertThat(Files.readString(md))
        .startsWith("# rbac-synth generate: evidence per rule")
        .contains("| verb | resource | namespace | name | count |");
  }

  @Test
  void explainSaysWhichExpansionWidenedARequest() throws IOException {
    Path json = tmp.resolve("why.json");
    Cli.generate(GenerateCommandTest.DEMO, "bob", "-q", "--explain", json.toString());
    JsonNode rules = Reports.json(Files.readString(json)).get("subjects").get(0).get("rules");
    Set<String> widenedBy = new HashSet<>();
    for (JsonNode rule : Reports.list(rules)) {
      for (JsonNode q : Reports.list(rule.get("requests"))) {
        q.get("widenedBy").forEach(w -> widenedBy.add(w.asString()));
        if (q.get("widenedBy").toString().contains("namespaces")) {
          assertThat(q.get("widening").asString()).contains("granted cluster-wide");
        }
      }
    }
    assertThat(widenedBy).contains("namespaces", "verbs");
    Path exact = tmp.resolve("exact.json");
    Cli.generate(GenerateCommandTest.DEMO, "bob", "-q", "--exact", "--explain", exact.toString());
    for (JsonNode rule :
        Reports.list(Reports.json(Files.readString(exact)).get("subjects").get(0).get("rules"))) {
      assertThat(rule.get("expansions")).as("--exact widens nothing").isEmpty();
    }
  }

  @Test
  void diffListsTheEvidenceOfEveryUsedRule() {
    Cli.Result r = diffFlannel("json");
    JsonNode report = Reports.json(r.out());
    JsonNode used = report.get("used");
    assertThat(used).hasSize(1);
    assertThat(used.get(0).get("binding").get("name").asString()).isEqualTo("flannel");
    assertThat(used.get(0).get("ruleIndex").asInt()).isEqualTo(1);
    List<String> requests = new ArrayList<>();
    long count = 0;
    for (JsonNode q : Reports.list(used.get(0).get("requests"))) {
      requests.add(q.get("verb").asString() + " " + q.get("resource").asString());
      count += q.get("count").asLong();
      assertThat(q.get("sampleAuditID").asString()).isNotEmpty();
    }
    assertThat(requests).containsExactly("list nodes", "watch nodes");
    assertThat(count).isEqualTo(report.get("events").asLong());
    String text = diffFlannel("text").out();
    assertThat(text)
        .contains("USED: 1 rule(s) allowed the observed requests below\n")
        .contains("ClusterRoleBinding flannel -> ClusterRole flannel rules[1]: ")
        .contains("SAMPLE AUDIT ID");
    String md = diffFlannel("markdown").out();
    assertThat(md).contains("## Used\n\n| rule | verb |").contains("| `ClusterRoleBinding flannel");
  }
}
