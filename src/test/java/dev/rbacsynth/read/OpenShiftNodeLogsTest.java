package dev.rbacsynth.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.Reports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code oc adm node-logs --role=master --path=kube-apiserver/audit.log} prints each line of each
 * control-plane node's audit log after the node's name and a space. The event here is the real
 * OpenShift (ROSA) kubelet lease update of testdata/formats/pretty-event.json, written on one line
 * as the apiserver writes it, behind the names of three ROSA control-plane nodes; each node logged
 * a request of its own (its own audit ID).
 */
class OpenShiftNodeLogsTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final String NODE = "system:node:ip-10-0-31-19.us-west-2.compute.internal";

  private static List<String> nodeLogLines() throws IOException {
    JsonNode event = MAPPER.readTree(Path.of("testdata/formats/pretty-event.json").toFile());
    String line = MAPPER.writeValueAsString(event);
    String id = event.get("auditID").asString();
    List<String> masters =
        List.of(
            "ip-10-0-6-159.us-west-2.compute.internal",
            "ip-10-0-41-7.us-west-2.compute.internal",
            "ip-10-0-80-212.us-west-2.compute.internal");
    return List.of(
        masters.get(0) + " " + line,
        masters.get(1) + " " + line.replace(id, id.substring(0, 35) + "1"),
        masters.get(2) + " " + line.replace(id, id.substring(0, 35) + "2"));
  }

  @Test
  void linesBehindANodeNameAreRead(@TempDir Path dir) throws IOException {
    Path log = dir.resolve("node-logs.log");
    Files.write(log, nodeLogLines(), StandardCharsets.UTF_8);

    Cli.Result subjects = Cli.run("subjects", "-f", log.toString(), "-o", "json");
    assertThat(subjects.err()).doesNotContain("warning");
    JsonNode node = Reports.list(Reports.json(subjects.out()).get("subjects")).get(0);
    assertThat(node.get("username").asString()).isEqualTo(NODE);
    assertThat(node.get("events").asLong()).isEqualTo(3);

    Cli.Result generated = Cli.run("generate", "-f", log.toString(), "--user", NODE, "--exact");
    assertThat(generated.exit()).isZero();
    assertThat(generated.err())
        .contains("read 3 records", "3 events matched")
        .doesNotContain("skipped")
        .doesNotContain("not a JSON object");
    assertThat(generated.out())
        .contains("kind: Role\n")
        .contains("namespace: kube-node-lease")
        .contains("- coordination.k8s.io")
        .contains("- ip-10-0-31-19.us-west-2.compute.internal")
        .contains("- update");
  }

  @Test
  void onlyANodeNameAndOneSpaceBeforeAnObjectIsAPrefix() {
    assertThat(start("master-0 {\"kind\":\"Event\"}")).isEqualTo(9);
    assertThat(start("ip-10-0-140-97.ec2.internal {}")).isEqualTo(28);
    assertThat(start("{\"kind\":\"Event\"}")).isZero();
    assertThat(start("Master-0 {\"kind\":\"Event\"}")).as("node names are lowercase").isZero();
    assertThat(start("master-0  {\"kind\":\"Event\"}")).as("two spaces").isZero();
    assertThat(start("master-0 {\"kind\":\"Event\"")).as("not one object").isZero();
    assertThat(start("-master {\"kind\":\"Event\"}")).isZero();
    assertThat(start("kind: Event")).isZero();
  }

  private static int start(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return OpenShiftNodeLogs.eventStart(b, 0, b.length);
  }
}
