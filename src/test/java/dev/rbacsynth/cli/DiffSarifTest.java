package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.Reports;
import dev.rbacsynth.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code diff -o sarif} and {@code -o github} on real manifests against the real hkerma log: the
 * SARIF validates against the OASIS SARIF 2.1.0 schema kept in testdata/sarif, and every result
 * points at the line of its rule in the real file (checked against the rule's content in the JSON
 * report, matched by fingerprint).
 */
class DiffSarifTest {

  static final Path SCHEMA = Path.of("testdata/sarif/sarif-schema-2.1.0.json");

  static Cli.Result diff(String serviceAccount, String format, String rbac, String... more) {
    return Cli.diff(HkermaAuditLog.jsonl().toString(), serviceAccount, format, List.of(rbac), more);
  }

  static List<Error> validate(String sarif) throws IOException {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    Schema schema = registry.getSchema(Files.readString(SCHEMA), InputFormat.JSON);
    return schema.validate(sarif, InputFormat.JSON);
  }

  @Test
  void theSchemaValidatorRejectsABrokenLog() throws IOException {
    // The validation below is not vacuous: a result without a message breaks the schema.
    String broken =
        "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},"
            + "\"results\":[{\"ruleId\":\"missing\"}]}]}";
    assertThat(validate(broken)).isNotEmpty();
  }

  @Test
  void flannelSarifIsValidAndPointsAtEachRuleLine() throws IOException {
    Cli.Result r = diff("kube-flannel:flannel", "sarif", TestData.FLANNEL);
    assertThat(r.err()).isEmpty();
    assertThat(validate(r.out())).isEmpty();
    JsonNode run = Reports.json(r.out()).get("runs").get(0);
    assertThat(run.get("tool").get("driver").get("name").asString()).isEqualTo("rbac-synth");
    List<String> seen = new ArrayList<>();
    for (JsonNode result : Reports.list(run.get("results"))) {
      JsonNode loc = result.get("locations").get(0).get("physicalLocation");
      seen.add(
          result.get("ruleId").asString()
              + " "
              + loc.get("artifactLocation").get("uri").asString()
              + ":"
              + loc.get("region").get("startLine").asInt());
      assertThat(result.get("partialFingerprints").get("rbacSynthFinding/v1").asString())
          .hasSize(32);
    }
    // kube-flannel.yml: ClusterRole flannel has rules at lines 14 (get pods), 20 (nodes) and 28
    // (patch nodes/status); flannel used none of rules 0 and 2 and only list/watch of rule 1.
    assertThat(seen)
        .containsExactly(
            "unused " + TestData.FLANNEL + ":14",
            "unused " + TestData.FLANNEL + ":20",
            "unused " + TestData.FLANNEL + ":28");
  }

  @Test
  void gatekeeperRiskyAndUnusedResultsSitOnTheirRuleInTheRealFile() throws IOException {
    Cli.Result sarif = diff("gatekeeper-system:gatekeeper-admin", "sarif", TestData.GATEKEEPER);
    assertThat(validate(sarif.out())).isEmpty();
    JsonNode json =
        Reports.json(diff("gatekeeper-system:gatekeeper-admin", "json", TestData.GATEKEEPER).out());
    Map<String, JsonNode> ruleByFingerprint = new HashMap<>();
    for (String kind : List.of("unused", "risky")) {
      for (JsonNode item : Reports.list(json.get(kind))) {
        ruleByFingerprint.put(item.get("fingerprint").asString(), item.get("rule"));
      }
    }
    List<String> lines = Files.readAllLines(Path.of(TestData.GATEKEEPER));
    List<JsonNode> results =
        Reports.list(Reports.json(sarif.out()).get("runs").get(0).get("results"));
    assertThat(results).extracting(x -> x.get("ruleId").asString()).contains("risky/wildcard");
    for (JsonNode result : results) {
      JsonNode loc = result.get("locations").get(0).get("physicalLocation");
      assertThat(loc.get("artifactLocation").get("uri").asString()).isEqualTo(TestData.GATEKEEPER);
      int line = loc.get("region").get("startLine").asInt();
      JsonNode rule =
          ruleByFingerprint.get(
              result.get("partialFingerprints").get("rbacSynthFinding/v1").asString());
      assertThat(rule).as("the JSON report has the same finding").isNotNull();
      String text = ruleText(lines, line);
      for (String field : List.of("verbs", "resources", "apiGroups")) {
        for (JsonNode v : Reports.list(rule.get(field))) {
          String value = v.asString();
          if (value.isEmpty()) {
            assertThat(text).as("rule at line " + line).containsAnyOf("\"\"", "''");
          } else {
            assertThat(text).as("rule at line " + line).contains(value);
          }
        }
      }
    }
  }

  /** The YAML sequence item starting at 1-based {@code line}: until the next item or a dedent. */
  static String ruleText(List<String> lines, int line) {
    String first = lines.get(line - 1);
    // the item's keys start after its dash: "- apiGroups:" has its keys at column 2
    int indent = first.indexOf(first.strip()) + (first.strip().startsWith("- ") ? 2 : 0);
    StringBuilder out = new StringBuilder(first).append('\n');
    for (int i = line; i < lines.size(); i++) {
      String l = lines.get(i);
      int ind = l.indexOf(l.strip());
      if (!l.isBlank() && (ind < indent || l.startsWith("---"))) {
        break;
      }
      out.append(l).append('\n');
    }
    return out.toString();
  }

  @Test
  void theSameInputGivesTheSameSarif() {
    String a = diff("kube-flannel:flannel", "sarif", TestData.FLANNEL).out();
    String b = diff("kube-flannel:flannel", "sarif", TestData.FLANNEL).out();
    assertThat(a).isEqualTo(b);
  }

  @Test
  void githubAnnotationsCarryFileLineAndTitle() {
    Cli.Result r = diff("kube-flannel:flannel", "github", TestData.FLANNEL, "--fail-on", "unused");
    assertThat(r.exit()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(r.out().lines().filter(l -> !l.contains("title=Observation window::")).toList())
        .hasSize(4)
        .first()
        .asString()
        .startsWith("::warning title=Short observation window::the observation window is only");
    assertThat(r.out().lines().filter(l -> l.startsWith("::error")).toList())
        .hasSize(3)
        .allSatisfy(l -> assertThat(l).startsWith("::error file=" + TestData.FLANNEL + ",line="))
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith(
                        "::error file="
                            + TestData.FLANNEL
                            + ",line=14,title=unused%3A ClusterRole flannel rules[0] (serviceaccount kube-flannel/flannel)::"));
  }

  /**
   * User review: SARIF and -o github never stated the observation window nor the short-window
   * warning, and unused findings said "not used in the audit log".
   */
  @Test
  void sarifAndGithubStateTheObservationWindow() throws IOException {
    Cli.Result r = diff("kube-flannel:flannel", "sarif", TestData.FLANNEL);
    assertThat(validate(r.out())).isEmpty();
    JsonNode run = Reports.json(r.out()).get("runs").get(0);
    JsonNode window = run.get("properties").get("observationWindow");
    String from = window.get("from").asString();
    String to = window.get("to").asString();
    assertThat(from).startsWith("2023-01-27T");
    assertThat(window.get("events").asLong()).isPositive();
    assertThat(window.get("warning").asString()).contains("under --min-window 7d");
    assertThat(Reports.list(run.get("results")))
        .isNotEmpty()
        .allSatisfy(
            res ->
                assertThat(res.get("message").get("text").asString())
                    .contains("; not used in the 4-minute window (" + from + " to " + to + "): ")
                    .doesNotContain("audit log"));
    String github = diff("kube-flannel:flannel", "github", TestData.FLANNEL).out();
    assertThat(github)
        .startsWith("::notice title=Observation window::Observed " + from + " to " + to)
        .contains("not used in the 4-minute window (" + from + " to " + to + "): ");
  }
}
