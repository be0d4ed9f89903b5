package dev.rbacsynth.read.envelope;

import static dev.rbacsynth.read.envelope.VendorLogs.arr;
import static dev.rbacsynth.read.envelope.VendorLogs.obj;
import static dev.rbacsynth.read.envelope.VendorLogs.read;
import static dev.rbacsynth.read.envelope.VendorLogs.readLines;
import static dev.rbacsynth.read.envelope.VendorLogs.readPanther;
import static dev.rbacsynth.read.envelope.VendorLogs.ref;
import static dev.rbacsynth.read.envelope.VendorLogs.seen;
import static dev.rbacsynth.read.envelope.VendorLogs.vendor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.RequestBody;
import dev.rbacsynth.event.Stage;
import dev.rbacsynth.read.EventDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class EnvelopeAksTest {

  private static final Path EVENT_HUB_BATCH = vendor("sysdiglabs-aks-audit-log/samples/event.json");
  private static final String RECORD = "AKS diagnostic record";

  @TempDir Path dir;

  /** Record {@code n} (1-based) of the real Event Hub batch, freshly parsed. */
  private static ObjectNode record(int n) throws IOException {
    return (ObjectNode)
        VendorLogs.parse(Files.readString(EVENT_HUB_BATCH)).get("records").get(n - 1);
  }

  /** The Event that record {@code n} carries in {@code properties.log}. */
  private static JsonNode event(int n) throws IOException {
    return VendorLogs.parse(record(n).get("properties").get("log").stringValue());
  }

  @Test
  void eventHubBatchOfKubeAuditRecords() {
    VendorLogs.Result r = read(EVENT_HUB_BATCH);

    assertThat(r.problems()).isEmpty();
    assertThat(r.all()).hasSize(22);
    assertThat(r.formats()).isEqualTo(Map.of(RECORD, 23L, "audit Event", 22L));
    List<AuditEvent> events = r.all();
    assertThat(seen(events.get(0)))
        .isEqualTo(
            seen(
                "system:serviceaccount:kube-system:resourcequota-controller",
                "get",
                "/apis/metrics.k8s.io/v1beta1?timeout=32s",
                null,
                200,
                "allow"));
    assertThat(seen(events.get(2)))
        .isEqualTo(
            seen(
                "aksService",
                "create",
                "/api/v1/namespaces/kube-system/configmaps",
                ref("configmaps", "kube-system", "coredns-custom", "", "v1", ""),
                409,
                "allow"));
    assertThat(seen(events.get(10)))
        .isEqualTo(
            seen(
                "nodeclient",
                "watch",
                "/api/v1/namespaces/kube-system/configmaps?fieldSelector=metadata.name%3Dcontainer-azm-ms-agentconfig"
                    + "&resourceVersion=750&timeout=5m9s&timeoutSeconds=309&watch=true",
                ref("configmaps", "kube-system", "container-azm-ms-agentconfig", "", "v1", ""),
                200,
                "allow"));
    assertThat(seen(events.get(14)))
        .isEqualTo(
            seen(
                "aksService",
                "get",
                "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/aks-cluster-admin-binding",
                ref(
                    "clusterrolebindings",
                    "",
                    "aks-cluster-admin-binding",
                    "rbac.authorization.k8s.io",
                    "v1",
                    ""),
                200,
                "allow"));
    assertThat(events.get(0).user().groups()).contains("system:serviceaccounts:kube-system");
    assertThat(events.get(0).stage()).isEqualTo(Stage.RESPONSE_COMPLETE);
  }

  @Test
  void singlePrettyPrintedRecordStartingWithAByteOrderMark() {
    VendorLogs.Result r =
        read(
            vendor(
                "sysdiglabs-aks-audit-log/AKSKubeAuditReceiverSolution/AKSKubeAuditReceiver/samples/"
                    + "sample_EventHubs_event.json"));

    assertThat(r.problems()).isEmpty();
    assertThat(seen(r.single(1)))
        .isEqualTo(
            seen(
                "system:serviceaccount:kube-system:generic-garbage-collector",
                "get",
                "/apis/autoscaling/v2beta1?timeout=32s",
                null,
                200,
                "allow"));
  }

  @Test
  void pantherAksRecordsDeniedExecAndBinding() {
    VendorLogs.Result denied = readPanther(dir, "kubernetes_rules/k8s_secret_access_denied.yml");
    assertThat(seen(denied.single(3)))
        .isEqualTo(
            seen(
                "compromised-user@example.com",
                "get",
                "",
                ref("secrets", "default", "api-token", "", "", ""),
                401,
                ""));

    VendorLogs.Result exec = readPanther(dir, "kubernetes_rules/k8s_exec_into_pod.yml");
    AuditEvent e = exec.single(2);
    assertThat(seen(e))
        .isEqualTo(
            seen(
                "masterclient",
                "get",
                "/api/v1/namespaces/default/pods/nginx-pod/exec",
                ref("pods", "default", "nginx-pod", "", "v1", "exec"),
                101,
                ""));
    assertThat(e.stage()).isEqualTo(Stage.RESPONSE_STARTED);

    VendorLogs.Result binding =
        readPanther(dir, "kubernetes_rules/k8s_clusterrolebinding_privileged.yml");
    assertThat(binding.single(2).requestObject())
        .isEqualTo(new RequestBody("ClusterRole", "system:masters", ""));
    assertThat(binding.single(2).objectRef())
        .isEqualTo(
            ref(
                "clusterrolebindings",
                "",
                "privilege-escalation",
                "rbac.authorization.k8s.io",
                "",
                ""));
  }

  @Test
  void logAsObjectAdminCategoryAndOtherCategoriesSkipped() throws IOException {
    ObjectNode asObject = record(3);
    asObject.put("category", "kube-audit-admin");
    ((ObjectNode) asObject.get("properties")).set("log", event(3));
    ObjectNode apiserver = record(4);
    apiserver.put("category", "kube-apiserver");
    ((ObjectNode) apiserver.get("properties"))
        .put("log", "I0505 16:16:37.699072       1 trace.go:116] Trace[1]");
    ObjectNode guard = record(4);
    guard.put("category", "guard");

    VendorLogs.Result r =
        readLines(
            dir,
            "records.jsonl",
            List.of(asObject.toString(), apiserver.toString(), guard.toString()));

    assertThat(r.problems()).isEmpty();
    assertThat(r.all()).containsExactly(EventDecoder.decode(event(3)));
    assertThat(r.formats()).containsEntry(RECORD, 3L);
  }

  @Test
  void logAnalyticsAzureDiagnosticsRows() throws IOException {
    String audit =
        obj(
                "TenantId",
                "6e1b9a2c-0000-4000-8000-000000000000",
                "TimeGenerated",
                "2020-05-05T16:16:37Z",
                "Category",
                "kube-audit",
                "log_s",
                record(15).get("properties").get("log"),
                "pod_s",
                "kube-apiserver-79599f95c7-qn557",
                "stream_s",
                "stdout",
                "Type",
                "AzureDiagnostics")
            .toString();
    String autoscaler =
        obj(
                "TimeGenerated",
                "2020-05-05T16:16:38Z",
                "Category",
                "cluster-autoscaler",
                "log_s",
                "I0505 16:16:38.000000       1 static_autoscaler.go:226] Starting main loop",
                "Type",
                "AzureDiagnostics")
            .toString();

    VendorLogs.Result r = readLines(dir, "azurediagnostics.jsonl", List.of(audit, autoscaler));

    assertThat(r.problems()).isEmpty();
    assertThat(r.all()).containsExactly(EventDecoder.decode(event(15)));
  }

  /**
   * A resource-specific AKSAudit row built from a real Event with the documented column names;
   * dynamic columns as objects or, as the Log Analytics query API returns them, as JSON text.
   */
  private static ObjectNode aksAuditRow(JsonNode event, String table, boolean dynamicAsText) {
    ObjectNode row =
        obj(
            "TenantId",
            "6e1b9a2c-0000-4000-8000-000000000000",
            "TimeGenerated",
            event.get("stageTimestamp"),
            "Level",
            event.get("level"),
            "AuditId",
            event.get("auditID"),
            "Stage",
            event.get("stage"),
            "RequestUri",
            event.get("requestURI"),
            "Verb",
            event.get("verb"),
            "UserAgent",
            event.get("userAgent"),
            "RequestReceivedTime",
            event.get("requestReceivedTimestamp"),
            "StageReceivedTime",
            event.get("stageTimestamp"),
            "PodName",
            "kube-apiserver-79599f95c7-qn557",
            "SourceSystem",
            "Azure",
            "Type",
            table);
    for (String[] dynamic :
        new String[][] {
          {"User", "user"},
          {"SourceIps", "sourceIPs"},
          {"ObjectRef", "objectRef"},
          {"ResponseStatus", "responseStatus"},
          {"Annotations", "annotations"}
        }) {
      JsonNode value = event.path(dynamic[1]);
      if (!value.isMissingNode()) {
        row.set(
            dynamic[0], dynamicAsText ? VendorLogs.MAPPER.valueToTree(value.toString()) : value);
      }
    }
    row.put("RequestObject", "skipped-too-big-size-object");
    return row;
  }

  @Test
  void resourceSpecificAksAuditRowsAndQueryApiTables() throws IOException {
    String asObjects = aksAuditRow(event(15), "AKSAudit", false).toString();
    String asText = aksAuditRow(event(3), "AKSAuditAdmin", true).toString();
    ArrayNode columns = VendorLogs.MAPPER.createArrayNode();
    ArrayNode values = VendorLogs.MAPPER.createArrayNode();
    aksAuditRow(event(11), "AKSAudit", true)
        .properties()
        .forEach(
            column -> {
              columns.add(obj("name", column.getKey(), "type", "string"));
              values.add(column.getValue());
            });
    String queryApi =
        obj("tables", arr(obj("name", "PrimaryResult", "columns", columns, "rows", arr(values))))
            .toString();

    VendorLogs.Result r = readLines(dir, "aksaudit.jsonl", List.of(asObjects, asText, queryApi));

    assertThat(r.problems()).isEmpty();
    assertThat(r.all())
        .containsExactly(
            EventDecoder.decode(event(15)),
            EventDecoder.decode(event(3)),
            EventDecoder.decode(event(11)));
    assertThat(seen(r.single(2)))
        .isEqualTo(
            seen(
                "aksService",
                "create",
                "/api/v1/namespaces/kube-system/configmaps",
                ref("configmaps", "kube-system", "coredns-custom", "", "v1", ""),
                409,
                "allow"));
    assertThat(r.formats()).containsEntry("AKS Log Analytics row", 4L);
    assertThat(r.warnings()).as("AKSAudit rows were read too").isEmpty();
  }

  /**
   * The real Event Hub batch as a kube-audit-admin export would carry it: the same records under
   * that category, without their get and list requests (the category leaves them out). Read alone,
   * it is warned about once; with the kube-audit records, or as the real kube-audit batch, not.
   */
  @Test
  void kubeAuditAdminRecordsAloneAreWarnedAboutOnce() throws IOException {
    ObjectNode batch = (ObjectNode) VendorLogs.parse(Files.readString(EVENT_HUB_BATCH));
    ArrayNode admin = VendorLogs.MAPPER.createArrayNode();
    for (JsonNode record : batch.get("records")) {
      String verb =
          VendorLogs.parse(record.get("properties").get("log").stringValue())
              .path("verb")
              .asString();
      if (!verb.equals("get") && !verb.equals("list")) {
        admin.add(((ObjectNode) record.deepCopy()).put("category", "kube-audit-admin"));
      }
    }
    assertThat(admin).isNotEmpty().hasSizeLessThan(batch.get("records").size());
    String adminBatch = obj("records", admin).toString();

    VendorLogs.Result adminOnly = readLines(dir, "admin.json", List.of(adminBatch));
    assertThat(adminOnly.problems()).isEmpty();
    assertThat(adminOnly.all()).hasSize(admin.size());
    assertThat(adminOnly.warnings())
        .singleElement()
        .asString()
        .startsWith(AksCategories.WARNING_START + admin.size() + "): ")
        .contains("leaves out every get and list request")
        .contains("export the kube-audit category");

    assertThat(read(EVENT_HUB_BATCH).warnings()).isEmpty();
    VendorLogs.Result both =
        readLines(dir, "both.json", List.of(adminBatch, Files.readString(EVENT_HUB_BATCH).strip()));
    assertThat(both.warnings()).isEmpty();

    // on stderr, once per run, with generate's other warnings
    Path file = Files.writeString(dir.resolve("admin-only.json"), adminBatch + "\n");
    Cli.Result generated = Cli.run("generate", "-f", file.toString(), "--user", "aksService");
    assertThat(generated.exit()).isZero();
    assertThat(generated.err().split(Pattern.quote("warning: " + AksCategories.WARNING_START), -1))
        .hasSize(2);
    Cli.Result full = Cli.run("generate", "-f", EVENT_HUB_BATCH.toString(), "--user", "aksService");
    assertThat(full.err()).doesNotContain("kube-audit-admin");

    // the resource-specific table AKSAuditAdmin alone, as Log Analytics exports it
    String rows = aksAuditRow(event(3), "AKSAuditAdmin", false).toString();
    assertThat(readLines(dir, "aksauditadmin.jsonl", List.of(rows)).warnings())
        .singleElement()
        .asString()
        .startsWith(AksCategories.WARNING_START + "1): ");
  }
}
