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
import dev.rbacsynth.yaml.YamlDocuments;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;

class EnvelopeGkeTest {

  private static final String KHI = "gcp-khi/test/logs/k8s_audit/";
  private static final String GKE = "GKE Cloud Audit LogEntry";

  @TempDir Path dir;

  @Test
  void createOfAPodByAControllerFromGcloudYaml() {
    VendorLogs.Result r = read(vendor(KHI + "container_recorder_test_1_1.yaml"));

    assertThat(r.problems()).isEmpty();
    assertThat(r.formats()).isEqualTo(Map.of(GKE, 1L));
    AuditEvent e = r.all().get(0);
    // The create names the pod in resourceName; the request went to the collection.
    assertThat(seen(e))
        .isEqualTo(
            seen(
                "system:serviceaccount:kube-system:replicaset-controller",
                "create",
                "/api/v1/namespaces/1-2-deployment-update/pods",
                ref(
                    "pods",
                    "1-2-deployment-update",
                    "nginx-deployment-surge-8655b4b8c5-xf5f4",
                    "",
                    "v1",
                    ""),
                200,
                "allow"));
    assertThat(e.auditID()).isEqualTo("85371f7c-2383-4041-96e8-dad63d2d1990");
    assertThat(e.stage()).isEqualTo(Stage.RESPONSE_COMPLETE);
    assertThat(e.requestReceivedTimestamp()).isEqualTo(Instant.parse("2024-01-01T01:00:00Z"));
    assertThat(e.annotations())
        .containsEntry("pod-security.kubernetes.io/enforce-policy", "privileged:latest");
    // requestMetadata.callerSuppliedUserAgent is the Event's userAgent
    assertThat(e.userAgent())
        .isEqualTo(
            "kube-controller-manager/v1.28.14 (linux/amd64) kubernetes/a4ef1a6/"
                + "system:serviceaccount:kube-system:replicaset-controller");
  }

  /** The user agent reaches the usage ledger, whose rows sample it. */
  @Test
  void theCallerSuppliedUserAgentIsKeptInTheLedger() throws IOException {
    Path ledger = dir.resolve("usage.json");
    Cli.Result r =
        Cli.run(
            "collect",
            "-f",
            vendor(KHI + "container_recorder_test_1_2.yaml").toString(),
            "--output-file",
            ledger.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Files.readString(ledger))
        .contains("\"kubelet/v1.28.14 (linux/amd64) kubernetes/a4ef1a6\"");
  }

  @Test
  void statusSubresourcePatchByAKubelet() {
    VendorLogs.Result r = read(vendor(KHI + "container_recorder_test_1_2.yaml"));

    assertThat(r.problems()).isEmpty();
    assertThat(r.all().get(0).userAgent())
        .isEqualTo("kubelet/v1.28.14 (linux/amd64) kubernetes/a4ef1a6");
    assertThat(seen(r.all().get(0)))
        .isEqualTo(
            seen(
                "system:node:gke-sample-cluster-default-abcdefgh-abcd",
                "patch",
                "/api/v1/namespaces/1-2-deployment-update/pods/nginx-deployment-surge-8655b4b8c5-xf5f4/status",
                ref(
                    "pods",
                    "1-2-deployment-update",
                    "nginx-deployment-surge-8655b4b8c5-xf5f4",
                    "",
                    "v1",
                    "status"),
                200,
                "allow"));
  }

  @Test
  void gcloudJsonArrayOfEntries() throws IOException {
    // `gcloud logging read --format=json` prints one pretty JSON array: the same two real entries,
    // in that shape.
    ArrayNode entries = VendorLogs.MAPPER.createArrayNode();
    for (String file :
        List.of("container_recorder_test_1_1.yaml", "container_recorder_test_1_2.yaml")) {
      try (Reader in = Files.newBufferedReader(vendor(KHI + file), StandardCharsets.UTF_8)) {
        YamlDocuments.forEach(in, (doc, line) -> entries.add(VendorLogs.MAPPER.valueToTree(doc)));
      }
    }
    Path json = Files.writeString(dir.resolve("gcloud.json"), entries.toPrettyString());

    VendorLogs.Result r = read(json);

    assertThat(r.problems()).isEmpty();
    assertThat(r.all()).extracting(AuditEvent::verb).containsExactly("create", "patch");
    assertThat(r.formats()).isEqualTo(Map.of(GKE, 2L));
  }

  @Test
  void execSubresourceWithoutStatusOrGrantRecorded() {
    VendorLogs.Result r = readPanther(dir, "gcp_k8s_rules/gcp_k8s_exec_into_pod.yml");

    assertThat(r.problems()).isEmpty();
    assertThat(seen(r.single(1)))
        .isEqualTo(
            seen(
                "disallowed.user@example.com",
                "create",
                "/api/v1/namespaces/example/pods/one-off-valerii-tovstyk-1646666967280/exec",
                ref("pods", "example", "one-off-valerii-tovstyk-1646666967280", "", "v1", "exec"),
                0,
                ""));
    assertThat(r.single(2).objectRef().namespace()).isEqualTo("istio-system");
  }

  @Test
  void responseStatusCodeAndDeniedGrant() {
    VendorLogs.Result r =
        readPanther(dir, "gcp_k8s_rules/gcp_k8s_service_type_node_port_deployed.yml");
    var service = ref("services", "default", "test-ns", "", "v1", "");

    assertThat(r.problems()).isEmpty();
    assertThat(seen(r.single(1)))
        .isEqualTo(
            seen(
                "some.user@company.com",
                "create",
                "/api/v1/namespaces/default/services",
                service,
                200,
                "allow"));
    assertThat(r.single(1).requestReceivedTimestamp())
        .isEqualTo(Instant.parse("2024-02-19T12:02:22.057586Z"));
    // status.code 10 (ABORTED) with the API server's Status response: the response's 409 wins
    assertThat(seen(r.single(2)))
        .isEqualTo(
            seen(
                "some.user@company.com",
                "create",
                "/api/v1/namespaces/default/services",
                service,
                409,
                "allow"));
    assertThat(r.single(2).responseMessage()).isEqualTo("services \"test-ns\" already exists");
    // authorizationInfo[].granted false; this hand-written entry logs no protoPayload.status
    assertThat(seen(r.single(3)))
        .isEqualTo(
            seen(
                "some.user@company.com",
                "create",
                "/api/v1/namespaces/default/services",
                service,
                0,
                "forbid"));
  }

  @Test
  void permissionDeniedAndBindingRoleRefFromPantherKubernetesRules() {
    VendorLogs.Result denied = readPanther(dir, "kubernetes_rules/k8s_secret_access_denied.yml");
    assertThat(seen(denied.single(4)))
        .isEqualTo(
            seen(
                "user@company.com",
                "get",
                "/api/v1/namespaces/production/secrets/tls-cert",
                ref("secrets", "production", "tls-cert", "", "v1", ""),
                403,
                "forbid"));

    VendorLogs.Result binding =
        readPanther(dir, "kubernetes_rules/k8s_clusterrolebinding_privileged.yml");
    AuditEvent e = binding.single(3);
    assertThat(seen(e))
        .isEqualTo(
            seen(
                "user@company.com",
                "create",
                "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
                ref(
                    "clusterrolebindings",
                    "",
                    "admin-binding",
                    "rbac.authorization.k8s.io",
                    "v1",
                    ""),
                0,
                "allow"));
    assertThat(e.requestObject()).isEqualTo(new RequestBody("ClusterRole", "admin", ""));
  }

  @Test
  void methodNamesThatMapToNoRequestAreProblemsAndTheRestIsKept() {
    VendorLogs.Result r = readPanther(dir, "kubernetes_rules/k8s_system_principal_public_ip.yml");
    String file = dir.resolve("k8s_system_principal_public_ip.yml.jsonl").toString();

    assertThat(seen(r.single(3)))
        .isEqualTo(
            seen(
                "system:serviceaccount:kube-system:default",
                "list",
                "/api/v1/namespaces/default/pods",
                ref("pods", "default", "", "", "v1", ""),
                200,
                ""));
    assertThat(r.problems())
        .extracting(p -> p.format())
        .containsExactly(
            file
                + ":12: GKE Cloud Audit LogEntry: methodName io.k8s.readyz names no HTTP verb for a non-resource request",
            file
                + ":18: GKE Cloud Audit LogEntry: methodName io.k8s.readyz names no HTTP verb for a non-resource request");
    assertThat(r.at(12)).isEmpty();
    assertThat(r.at(13)).hasSize(1);
  }

  @Test
  void nonResourceWatchNamespaceCreateBigQueryAndOtherServices() {
    // Constructed: the corpus has no real GKE non-resource, watch or BigQuery-export entry.
    String scale =
        obj(
                "insertId",
                "a1",
                "timestamp",
                "2024-03-01T10:00:00.5Z",
                "protoPayload",
                obj(
                    "methodName", "io.k8s.apps.v1.deployments.scale.patch",
                    "resourceName", "apps/v1/namespaces/web/deployments/frontend/scale",
                    "authenticationInfo", obj("principalEmail", "dev@example.com"),
                    "authorizationInfo", arr(obj("granted", true)),
                    "status", obj()))
            .toString();
    String readyz =
        obj(
                "protoPayload",
                obj(
                    "methodName",
                    "io.k8s.get",
                    "resourceName",
                    "readyz",
                    "authenticationInfo",
                    obj("principalEmail", "system:anonymous"),
                    "status",
                    obj()))
            .toString();
    String watch =
        obj(
                "protoPayload",
                obj(
                    "methodName",
                    "io.k8s.core.v1.configmaps.watch",
                    "resourceName",
                    "core/v1/namespaces/web/configmaps",
                    "authenticationInfo",
                    obj("principalEmail", "system:serviceaccount:web:app"),
                    "status",
                    obj()))
            .toString();
    String namespace =
        obj(
                "protoPayload",
                obj(
                    "methodName",
                    "io.k8s.core.v1.namespaces.create",
                    "resourceName",
                    "core/v1/namespaces/team-a",
                    "authenticationInfo",
                    obj("principalEmail", "admin@example.com"),
                    "status",
                    obj("code", 6)))
            .toString();
    String bigQuery =
        obj(
                "timestamp",
                "2024-03-01 10:00:00.123456 UTC",
                "protopayload_auditlog",
                obj(
                    "methodName",
                    "io.k8s.authorization.rbac.v1.rolebindings.create",
                    "resourceName",
                    "rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings/edit",
                    "authenticationInfo",
                    obj("principalEmail", "dev@example.com"),
                    "authorizationInfo",
                    arr(obj("granted", false)),
                    "status",
                    obj("code", "7"),
                    "requestJson",
                    "{\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"edit\"}}"))
            .toString();
    String compute =
        obj(
                "protoPayload",
                obj(
                    "serviceName",
                    "compute.googleapis.com",
                    "methodName",
                    "v1.compute.instances.insert"))
            .toString();

    VendorLogs.Result r =
        readLines(
            dir, "constructed.jsonl", List.of(scale, readyz, watch, namespace, bigQuery, compute));

    assertThat(r.problems()).isEmpty();
    assertThat(r.all()).hasSize(5);
    assertThat(seen(r.single(1)))
        .isEqualTo(
            seen(
                "dev@example.com",
                "patch",
                "/apis/apps/v1/namespaces/web/deployments/frontend/scale",
                ref("deployments", "web", "frontend", "apps", "v1", "scale"),
                200,
                "allow"));
    assertThat(seen(r.single(2)))
        .isEqualTo(seen("system:anonymous", "get", "/readyz", null, 200, ""));
    assertThat(seen(r.single(3)))
        .isEqualTo(
            seen(
                "system:serviceaccount:web:app",
                "watch",
                "/api/v1/namespaces/web/configmaps?watch=true",
                ref("configmaps", "web", "", "", "v1", ""),
                200,
                ""));
    assertThat(seen(r.single(4)))
        .isEqualTo(
            seen(
                "admin@example.com",
                "create",
                "/api/v1/namespaces",
                ref("namespaces", "", "team-a", "", "v1", ""),
                409,
                ""));
    AuditEvent rb = r.single(5);
    assertThat(seen(rb))
        .isEqualTo(
            seen(
                "dev@example.com",
                "create",
                "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings",
                ref("rolebindings", "team-a", "edit", "rbac.authorization.k8s.io", "v1", ""),
                403,
                "forbid"));
    assertThat(rb.requestObject()).isEqualTo(new RequestBody("ClusterRole", "edit", ""));
    assertThat(rb.requestReceivedTimestamp())
        .isEqualTo(Instant.parse("2024-03-01T10:00:00.123456Z"));
    assertThat(r.at(6)).isEmpty();
  }

  @Test
  void unmappableFieldsAreReportedWithTheReason() {
    VendorLogs.Result r =
        readLines(
            dir,
            "bad.jsonl",
            List.of(
                obj("protoPayload", obj("methodName", "io.k8s.core.v1.pods.get")).toString(),
                obj(
                        "protoPayload",
                        obj(
                            "methodName",
                            "io.k8s.core.v1.pods.get",
                            "resourceName",
                            "core/v1",
                            "status",
                            obj()))
                    .toString(),
                obj(
                        "protoPayload",
                        obj(
                            "methodName",
                            "io.k8s.core.v1.pods.get",
                            "resourceName",
                            "core/v1/pods",
                            "status",
                            obj("code", 99)))
                    .toString(),
                obj(
                        "protoPayload",
                        obj("methodName", "io.k8s.pods.get", "resourceName", "core/v1/pods"))
                    .toString()));

    assertThat(r.all()).isEmpty();
    assertThat(r.problems())
        .extracting(p -> p.location().line() + " " + p.message())
        .containsExactly(
            "1 GKE Cloud Audit LogEntry: protoPayload.resourceName is missing",
            "2 GKE Cloud Audit LogEntry: protoPayload.resourceName \"core/v1\" is not "
                + "GROUP/VERSION/[namespaces/NS/]RESOURCE[/NAME]",
            "3 GKE Cloud Audit LogEntry: protoPayload.status.code 99 is not a gRPC status code",
            "4 GKE Cloud Audit LogEntry: methodName io.k8s.pods.get is neither io.k8s.VERB nor "
                + "io.k8s.GROUP.VERSION.RESOURCE[.SUBRESOURCE].VERB");
  }
}
