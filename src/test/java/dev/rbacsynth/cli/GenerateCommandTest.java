package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The generate command end to end, on audit2rbac's own demo log and real events in every input
 * layout.
 */
class GenerateCommandTest {
  static final String DEMO = "testdata/demo.log";

  @TempDir Path tmp;

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rulesOf(Map<String, Object> document) {
    return (List<Map<String, Object>>) document.get("rules");
  }

  private static Map<String, Object> rule(
      String groups, List<String> resources, List<String> verbs) {
    return Map.of("apiGroups", List.of(groups), "resources", resources, "verbs", verbs);
  }

  @Test
  void aliceGetsWhatAudit2rbacGivesHer() {
    Cli.Result r = Cli.run("generate", "-f", DEMO, "--user", "alice");
    assertThat(r.exit()).isZero();
    List<Map<String, Object>> docs = r.documents();
    assertThat(docs).extracting(d -> d.get("kind")).containsExactly("Role", "RoleBinding");
    assertThat(docs.get(0)).extracting("metadata").extracting("namespace").isEqualTo("ns1");
    assertThat(rulesOf(docs.get(0)))
        .containsExactly(
            rule("", List.of("configmaps", "pods", "secrets"), List.of("get", "list", "watch")));
    assertThat(docs.get(1).get("subjects"))
        .isEqualTo(
            List.of(
                Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "User", "name", "alice")));
  }

  @Test
  void bobAndTheServiceAccountGetClusterWideRules() {
    for (String[] subject :
        List.of(new String[] {"--user", "bob"}, new String[] {"--serviceaccount", "ns1:sa1"})) {
      Cli.Result r = Cli.run("generate", "-f", DEMO, subject[0], subject[1]);
      assertThat(r.exit()).isZero();
      List<Map<String, Object>> docs = r.documents();
      assertThat(docs)
          .extracting(d -> d.get("kind"))
          .containsExactly("ClusterRole", "ClusterRoleBinding");
      assertThat(rulesOf(docs.get(0)))
          .containsExactly(rule("", List.of("nodes", "pods"), List.of("get", "list", "watch")));
    }
    Map<String, Object> binding =
        Cli.run("-f", DEMO, "--serviceaccount", "ns1:sa1").documents().get(1);
    assertThat(binding.get("subjects"))
        .isEqualTo(List.of(Map.of("kind", "ServiceAccount", "name", "sa1", "namespace", "ns1")));
  }

  @Test
  void audit2rbacCommandLinesWorkUnchanged() {
    Cli.Result r =
        Cli.run(
            "-f",
            DEMO,
            "--user",
            "bob",
            "--expand-multi-namespace=false",
            "--generate-labels",
            "a=b,c=d",
            "--generate-name",
            "audit2rbac:${user}");
    assertThat(r.exit()).isZero();
    List<Map<String, Object>> docs = r.documents();
    // Without namespace expansion bob's namespaced lists stay in their namespaces.
    assertThat(docs)
        .extracting(d -> d.get("kind"))
        .containsExactly(
            "Role", "Role", "ClusterRole", "RoleBinding", "RoleBinding", "ClusterRoleBinding");
    assertThat(docs.get(0))
        .extracting("metadata")
        .isEqualTo(
            Map.of(
                "name",
                "audit2rbac:bob",
                "namespace",
                "default",
                "labels",
                Map.of("a", "b", "c", "d"),
                "annotations",
                Map.of("rbac-synth.dev/subject", "bob", "rbac-synth.dev/version", "dev")));
  }

  @Test
  void deniedRequestsAreGrantedAndReported() throws IOException {
    Path report = tmp.resolve("denied.json");
    Cli.Result r =
        Cli.run("generate", "-f", DEMO, "--user", "alice", "--denied-report", report.toString());
    assertThat(r.err()).contains("denied: 3 requests (3 distinct permissions): 3 by RBAC");
    JsonNode json = JsonMapper.builder().build().readTree(Files.readString(report));
    assertThat(json.get("subject").asString()).isEqualTo("user alice");
    assertThat(json.get("denied")).hasSize(3);
    JsonNode first = json.get("denied").get(0);
    assertThat(first.get("verb").asString()).isEqualTo("list");
    assertThat(first.get("resource").asString()).isEqualTo("configmaps");
    assertThat(first.get("namespace").asString()).isEqualTo("ns1");
    assertThat(first.get("denial").asString()).isEqualTo("rbac");
    assertThat(first.get("firstSeen").asString()).startsWith("2017-09-11T");
    assertThat(Files.readString(report))
        .as("the summary's keys in a fixed order (they followed Map.of's per-run order)")
        .endsWith(
            "\"summary\" : {\n"
                + "    \"rbac\" : 3,\n"
                + "    \"afterAuthorization\" : 0,\n"
                + "    \"refused\" : 0,\n"
                + "    \"transient\" : 0,\n"
                + "    \"distinct\" : 3\n"
                + "  }\n"
                + "}\n");

    Cli.run(
        "generate",
        "-f",
        DEMO,
        "--user",
        "alice",
        "--denied-report",
        tmp.resolve("d.md").toString());
    assertThat(Files.readString(tmp.resolve("d.md")))
        .startsWith("# Denied requests: user alice")
        .contains("| rbac | `list secrets -n ns1` | 1 |");
    Cli.run(
        "generate",
        "-f",
        DEMO,
        "--user",
        "alice",
        "--denied-report",
        tmp.resolve("d.txt").toString());
    assertThat(Files.readString(tmp.resolve("d.txt")))
        .startsWith("DENIAL   REQUEST")
        .contains("list pods -n ns1");

    // All three of alice's requests were denied: nothing is left to grant (an empty List).
    Cli.Result excluded = Cli.run("generate", "-f", DEMO, "--user", "alice", "--exclude-denied");
    assertThat(excluded.exit()).isZero();
    assertThat(excluded.out()).isEqualTo("apiVersion: v1\nitems: []\nkind: List\n");
  }

  @Test
  void jsonOutputIsAV1ListAndFileOutputIsWritten() throws IOException {
    Path file = tmp.resolve("out.json");
    Cli.Result r =
        Cli.run(
            "generate",
            "-f",
            DEMO,
            "--user",
            "bob",
            "-o",
            "json",
            "--output-file",
            file.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEmpty();
    JsonNode list = JsonMapper.builder().build().readTree(Files.readString(file));
    assertThat(list.get("kind").asString()).isEqualTo("List");
    assertThat(list.get("items")).hasSize(2);
    assertThat(list.get("items").get(0).get("kind").asString()).isEqualTo("ClusterRole");
    assertThat(Files.list(tmp)).containsExactly(file); // no temporary file left behind
  }

  @Test
  void outputIsByteIdenticalWhateverTheInputOrder() throws IOException {
    List<String> lines = Files.readAllLines(Path.of(DEMO));
    Path reversed = tmp.resolve("reversed.log");
    List<String> copy = new ArrayList<>(lines);
    Collections.reverse(copy);
    Files.write(reversed, copy);
    assertThat(Cli.run("-f", reversed.toString(), "--user", "bob").out())
        .isEqualTo(Cli.run("-f", DEMO, "--user", "bob").out());
  }

  @Test
  void readsEventListsArraysGzipDirectoriesAndStdin() throws IOException {
    List<String> lines = Files.readAllLines(Path.of(DEMO));
    String expected = Cli.run("-f", DEMO, "--user", "alice", "-q").out();
    // The webhook backend posts EventList batches; items carry no kind of their own.
    String items =
        String.join(",", lines.stream().map(l -> l.replace("\"kind\":\"Event\",", "")).toList());
    Path eventList =
        Files.writeString(
            tmp.resolve("webhook.json"),
            "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":["
                + items
                + "]}\n");
    Path array =
        Files.writeString(tmp.resolve("array.json"), "[\n" + String.join(",\n", lines) + "\n]\n");
    Path gzip = tmp.resolve("audit.log.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
      Files.copy(Path.of(DEMO), out);
    }
    Path dir = Files.createDirectory(tmp.resolve("logs"));
    Files.write(dir.resolve("audit-2017-09-11T19-00-00.000.log"), lines.subList(0, 20));
    Files.write(dir.resolve("audit.log"), lines.subList(20, lines.size()));
    for (Path input : List.of(eventList, array, gzip, dir)) {
      Cli.Result r = Cli.run("-f", input.toString(), "--user", "alice", "-q");
      assertThat(r.exit()).as(input.toString()).isZero();
      assertThat(r.out()).as(input.toString()).isEqualTo(expected);
    }
    Cli.Result stdin =
        Cli.runWithStdin(Files.readAllBytes(gzip), "-f", "-", "--user", "alice", "-q");
    assertThat(stdin.out()).isEqualTo(expected);
  }

  @Test
  void readsPrettyPrintedYamlAndOldVersionsFromRealClusters() {
    // OpenShift, pretty-printed JSON
    Cli.Result pretty =
        Cli.run(
            "-f",
            "testdata/formats/pretty-event.json",
            "--user",
            "system:node:ip-10-0-31-19.us-west-2.compute.internal",
            "--exact",
            "-q");
    assertThat(pretty.exit()).isZero();
    assertThat(pretty.out()).contains("- leases").contains("- update");
    // kind cluster, YAML as collectors write it
    Cli.Result yaml =
        Cli.run(
            "-f",
            "testdata/formats/khi-oss-event.yaml",
            "--user",
            "system:kube-scheduler",
            "--exact",
            "-q");
    assertThat(yaml.out()).contains("- kube-scheduler").contains("- update");
    // audit.k8s.io/v1beta1 from minikube (falco traces); SPDY exec is a create on pods/exec with
    // the pod's name
    Cli.Result exec =
        Cli.run("-f", "testdata/formats/exec_pod.json", "--user", "minikube-user", "--exact");
    assertThat(exec.out())
        .contains("- pods/exec")
        .contains("- nginx-deployment-7998647bdf-phvq7")
        .contains("- create");
    assertThat(exec.err()).contains("warning: user minikube-user was seen in group system:masters");
  }

  @Test
  void badRecordsAreReportedWithFileAndLineAndSkipped() throws IOException {
    List<String> lines = Files.readAllLines(Path.of(DEMO));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes((lines.get(34) + "\n").getBytes(StandardCharsets.UTF_8)); // alice: list pods
    bytes.writeBytes(
        "{\"kind\":\"Event\",\"user\":{\"username\":\"alice\"\n".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(
        "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"alice\"}}\n".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(
        new byte[] {
          '{', '"', 'a', (byte) 0xC3, '"', ':', '"', 'a', 'l', 'i', 'c', 'e', '"', '}', '\n'
        });
    bytes.writeBytes(
        (lines.get(36) + "\n").getBytes(StandardCharsets.UTF_8)); // alice: list secrets
    Path file = Files.write(tmp.resolve("bad.log"), bytes.toByteArray());
    Cli.Result r = Cli.run("-f", file.toString(), "--user", "alice", "--exact");
    assertThat(r.exit()).isZero();
    assertThat(r.err())
        .contains(file + ":2: malformed JSON")
        .contains(file + ":3: not an audit Event (kind \"Pod\")")
        .contains(file + ":4: malformed JSON")
        .contains("3 unusable record(s) skipped")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(r.out()).contains("- pods").contains("- secrets");

    Cli.Result strict = Cli.run("-f", file.toString(), "--user", "alice", "--strict");
    assertThat(strict.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(strict.err().strip())
        .isEqualTo(
            "error: "
                + file
                + ":2: malformed JSON: "
                + strict
                    .err()
                    .strip()
                    .substring(("error: " + file + ":2: malformed JSON: ").length()));
    assertThat(strict.err().lines()).hasSize(1);
  }

  @Test
  void truncatedGzipKeepsTheEventsBeforeTheCut() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(Files.readAllBytes(Path.of(DEMO)));
    }
    byte[] all = gz.toByteArray();
    Path cut = Files.write(tmp.resolve("cut.log.gz"), Arrays.copyOf(all, all.length - 40));
    Cli.Result r = Cli.run("-f", cut.toString(), "--user", "bob");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).contains(cut + ": unexpected end of compressed data (truncated gzip?)");
    assertThat(r.out()).contains("kind: ClusterRole");
  }

  @Test
  void emptyAndNonEventFilesAreReportedNotFatal() throws IOException {
    Path empty = Files.writeString(tmp.resolve("empty.log"), "");
    Cli.Result r =
        Cli.run(
            "-f",
            empty.toString(),
            "-f",
            "testdata/formats/fal_01_003.json",
            "-f",
            DEMO,
            "--user",
            "bob",
            "--strict=false");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).contains(empty + ": empty input: no audit events");
  }

  @Test
  void exitCodesForUsageAndInputErrors() throws IOException {
    assertThat(Cli.run("generate", "-f", "nope.log", "--user", "x").err())
        .isEqualTo("error: nope.log: no such file or directory\n");
    assertThat(Cli.run("generate", "-f", "nope.log", "--user", "x").exit())
        .isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(Cli.run("generate", "-f", DEMO).exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(Cli.run("generate", "-f", DEMO).err())
        .startsWith(
            "error: Missing required argument (specify one of these): (--user=NAME |"
                + " --serviceaccount=NS:NAME | --group=NAME | --all-subjects)\n");
    assertThat(Cli.run("generate", "-f", DEMO, "--user", "a", "--group", "b").err())
        .startsWith("error: --user=NAME, --group=NAME are mutually exclusive");
    assertThat(Cli.run("generate", "-f", DEMO, "--user", "a", "-o", "xml").err())
        .startsWith(
            "error: Invalid value for option '--output': expected one of [yaml, json]"
                + " (case-sensitive) but was 'xml'\n");
    assertThat(Cli.run("generate", "-f", DEMO, "--user", "a", "--group", "b").exit())
        .isEqualTo(ExitCodes.USAGE_OR_INPUT);
    assertThat(Cli.run("generate", "-f", DEMO, "--serviceaccount", "bad").err())
        .contains("--serviceaccount must be NAMESPACE:NAME");
    assertThat(Cli.run("generate", "-f", DEMO, "--user", "bob", "-o", "xml").exit())
        .isEqualTo(ExitCodes.USAGE_OR_INPUT);
    Cli.Result noMatch = Cli.run("generate", "-f", DEMO, "--user", "carol");
    assertThat(noMatch.exit()).isEqualTo(ExitCodes.NO_MATCH);
    assertThat(noMatch.err()).isEqualTo("No audit events matched user carol\n");
    assertThat(Cli.run("generate", "-f", DEMO, "--user", "system:anonymous").exit())
        .isEqualTo(ExitCodes.USAGE_OR_INPUT);
    Path emptyDir = Files.createDirectory(tmp.resolve("none"));
    assertThat(Cli.run("-f", emptyDir.toString(), "--user", "bob").err())
        .isEqualTo("error: " + emptyDir + ": directory contains no files\n");
  }

  @Test
  void theImpersonatorNeedsImpersonateOnEveryoneItActedAs() {
    // Every demo request is system:admin impersonating someone; audit2rbac finds nothing for
    // system:admin.
    Cli.Result r = Cli.run("-f", DEMO, "--user", "system:admin", "--exact", "-q");
    assertThat(r.exit()).isZero();
    List<Map<String, Object>> docs = r.documents();
    assertThat(docs)
        .extracting(d -> d.get("kind"))
        .containsExactly("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding");
    assertThat(rulesOf(docs.get(0)))
        .containsExactly(
            Map.of(
                "apiGroups",
                List.of(""),
                "resources",
                List.of("serviceaccounts"),
                "resourceNames",
                List.of("sa1"),
                "verbs",
                List.of("impersonate")));
    assertThat(rulesOf(docs.get(1)))
        .containsExactly(
            Map.of(
                "apiGroups",
                List.of(""),
                "resources",
                List.of("users"),
                "resourceNames",
                List.of("alice", "bob"),
                "verbs",
                List.of("impersonate")));
  }

  @Test
  void helpListsExamplesAndExitCodes() {
    Cli.Result help = Cli.run("generate", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out())
        .contains("Examples:")
        .contains("Exit codes:")
        .contains("--serviceaccount=NS:NAME")
        .contains("rbac-synth:${user}");
    assertThat(Cli.run("--help").out()).contains("generate").contains("Exit codes:");
  }

  @Test
  void namesAndLabelsAreValidWhateverTheUsername() {
    for (String user :
        List.of(
            "Bob.Smith@Example.COM",
            "CN=Jane Doe,OU=Ops,DC=example,DC=com",
            "ünïcødé/ユーザー",
            "x".repeat(300))) {
      Path log = writeEventFor(user);
      Cli.Result r = Cli.run("-f", log.toString(), "--user", user, "-q");
      assertThat(r.exit()).as(user).isZero();
      for (Map<String, Object> doc : r.documents()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) doc.get("metadata");
        String name = (String) meta.get("name");
        assertThat(name).matches("[a-z0-9.:-]{1,253}");
        @SuppressWarnings("unchecked")
        Map<String, String> labels = (Map<String, String>) meta.get("labels");
        labels.values().forEach(v -> assertThat(v).matches("([a-z0-9][-a-z0-9_.]{0,61})?[a-z0-9]"));
        @SuppressWarnings("unchecked")
        Map<String, String> annotations = (Map<String, String>) meta.get("annotations");
        assertThat(annotations).containsEntry("rbac-synth.dev/subject", user);
      }
      assertThat(r.out()).contains(user.length() > 100 ? "" : user);
    }
  }

  private Path writeEventFor(String user) {
    String escaped = user.replace("\\", "\\\\").replace("\"", "\\\"");
    String event =
        "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\","
            + "\"auditID\":\"8a1f6c2e-3b1d-4f7a-9e5c-0d2b7c9a4e11\",\"stage\":\"ResponseComplete\","
            + "\"requestURI\":\"/api/v1/namespaces/shop/configmaps/app\",\"verb\":\"get\",\"user\":{\"username\":\""
            + escaped
            + "\",\"groups\":[\"system:authenticated\"]},\"objectRef\":{\"resource\":\"configmaps\","
            + "\"namespace\":\"shop\",\"name\":\"app\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"metadata\":{},"
            + "\"code\":200},\"requestReceivedTimestamp\":\"2026-05-04T10:00:00.000001Z\",\"stageTimestamp\":"
            + "\"2026-05-04T10:00:00.002311Z\",\"annotations\":{\"authorization.k8s.io/decision\":\"allow\"}}\n";
    try {
      return Files.writeString(Files.createTempFile(tmp, "user", ".log"), event);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** review8 F17: the summary gives the size of the log read, not of its gzip file. */
  @Test
  void theSummaryGivesTheLogsSizeForGzipAndPlainAlike() {
    String gz = "testdata/hkerma/audit.log.gz";
    String plain = dev.rbacsynth.HkermaAuditLog.jsonl().toString();
    for (String log : List.of(gz, plain)) {
      Cli.Result r = Cli.run("generate", "-f", log, "--serviceaccount", "kube-flannel:flannel");
      assertThat(r.exit()).as(r.err()).isZero();
      // 10 507 536 bytes of log; the gzip file is 0.8 MB
      assertThat(r.err()).as(log).contains("rbac-synth: read 16563 records (10.5 MB) in ");
    }
  }

  /** A copy of a log beside it would count its events twice: refused, exit 2, both named. */
  @Test
  void oneLogUnderTwoNamesIsRefused() throws IOException {
    Path copy = Files.copy(Path.of("testdata/demo.log"), tmp.resolve("demo.log.bak"));
    Cli.Result r =
        Cli.run("generate", "-f", "testdata/demo.log", "-f", copy.toString(), "--user", "alice");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip())
        .isEqualTo(
            "error: testdata/demo.log and "
                + copy
                + " begin with the same 1024 bytes: the same log under two names (a copy or a hard"
                + " link?); each log is read once: give only one of them");
    // the same file twice, or two different logs, are read as before
    assertThat(
            Cli.run(
                    "generate",
                    "-f",
                    "testdata/demo.log",
                    "-f",
                    "./testdata/demo.log",
                    "-f",
                    "testdata/hkerma/audit.log.gz",
                    "--user",
                    "alice")
                .exit())
        .isZero();
  }
}
