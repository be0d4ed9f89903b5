package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.Reports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Transient denials (issue 14, section 5): in the real hkerma log the scheduler is refused 14 lists
 * in the first second of the log, while the apiserver's RBAC caches warm, and allowed each a few
 * seconds later; a kubelet is refused watches of its pods' ConfigMaps and Secrets the same way, but
 * a list of one ConfigMap and two Event creates stay denied. The denied report lists the transient
 * ones apart, with when they were allowed.
 */
class TransientDenialsTest {

  private static Cli.Result generate(String user, Path report) {
    return Cli.run(
        "generate",
        "-f",
        HkermaAuditLog.jsonl().toString(),
        "--user",
        user,
        "--denied-report",
        report.toString(),
        "--min-window",
        "0s");
  }

  @Test
  void theSchedulersStartUpRaceIsTransient(@TempDir Path dir) throws IOException {
    Path json = dir.resolve("denied.json");
    Cli.Result r = generate("system:kube-scheduler", json);
    assertThat(r.exit()).isZero();
    JsonNode report = Reports.json(Files.readString(json));
    List<JsonNode> denied = Reports.list(report.get("denied"));
    assertThat(denied).hasSize(14).allMatch(d -> d.get("transient").asBoolean());
    JsonNode csidrivers =
        denied.stream()
            .filter(d -> d.get("resource").asString().equals("csidrivers"))
            .findFirst()
            .orElseThrow();
    assertThat(csidrivers.get("lastSeen").asString()).isEqualTo("2023-01-27T18:28:08.139829Z");
    assertThat(csidrivers.get("allowedLater").asString()).isEqualTo("2023-01-27T18:28:14.275506Z");
    assertThat(report.get("summary").get("transient").asLong()).isEqualTo(14);
    assertThat(r.err())
        .contains(
            "rbac-synth: denied: 14 requests (14 distinct permissions): 14 by RBAC (granted by the"
                + " generated roles), 0 after authorization (admission or a hidden check; RBAC for"
                + " the logged verb will not fix them); 14 of them transient (14 distinct: allowed"
                + " later in the log, a start-up race, not a lasting lack)\n");
  }

  @Test
  void lastingAndTransientDenialsAreListedApart(@TempDir Path dir) throws IOException {
    Path text = dir.resolve("denied.txt");
    generate("system:node:k8s-node-1-perfspec", text);
    String report = Files.readString(text);
    int transientAt = report.indexOf("TRANSIENT: allowed later in the log");
    assertThat(transientAt).isPositive();
    String lasting = report.substring(0, transientAt);
    String passing = report.substring(transientAt);
    assertThat(lasting)
        .startsWith("DENIAL   REQUEST")
        .contains("list configmaps my-airflow-airflow-config -n default")
        .doesNotContain("watch");
    assertThat(passing)
        .contains("ALLOWED AT")
        .contains("watch configmaps kube-flannel-cfg -n kube-flannel")
        .contains("watch secrets gatekeeper-webhook-server-cert -n gatekeeper-system")
        .doesNotContain("my-airflow-airflow-config");
    Path md = dir.resolve("denied.md");
    generate("system:node:k8s-node-1-perfspec", md);
    assertThat(Files.readString(md))
        .contains("## Lasting denials\n", "## Transient denials\n")
        .contains("| denial | request | count | first seen | last seen | allowed at |");
    // the ReplicaSet controller's denials never turned into an allow: lasting
    Path rs = dir.resolve("rs.json");
    Cli.run(
        "generate",
        "-f",
        HkermaAuditLog.jsonl().toString(),
        "--serviceaccount",
        "kube-system:replicaset-controller",
        "--denied-report",
        rs.toString(),
        "-q");
    JsonNode denied = Reports.json(Files.readString(rs));
    assertThat(Reports.list(denied.get("denied")))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.get("transient").asBoolean()).isFalse();
              assertThat(d.get("allowedLater").isNull()).isTrue();
              assertThat(d.get("count").asLong()).isEqualTo(16);
            });
  }
}
