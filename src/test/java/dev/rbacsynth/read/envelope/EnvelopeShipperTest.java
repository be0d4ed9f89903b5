package dev.rbacsynth.read.envelope;

import static dev.rbacsynth.read.envelope.VendorLogs.arr;
import static dev.rbacsynth.read.envelope.VendorLogs.demoEvent;
import static dev.rbacsynth.read.envelope.VendorLogs.obj;
import static dev.rbacsynth.read.envelope.VendorLogs.read;
import static dev.rbacsynth.read.envelope.VendorLogs.readLines;
import static dev.rbacsynth.read.envelope.VendorLogs.ref;
import static dev.rbacsynth.read.envelope.VendorLogs.seen;
import static dev.rbacsynth.read.envelope.VendorLogs.vendor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.read.EventDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Documents as Filebeat / Elastic Agent, Fluentd and Fluent Bit index them, around real Events. */
class EnvelopeShipperTest {

  private static final String SHIPPER = "log shipper document";

  @TempDir Path dir;

  /**
   * A real AKS Event that carries authorization annotations (record 3 of the sysdig Event Hub
   * batch).
   */
  private static ObjectNode annotatedEvent() throws IOException {
    JsonNode batch =
        VendorLogs.parse(Files.readString(vendor("sysdiglabs-aks-audit-log/samples/event.json")));
    return (ObjectNode)
        VendorLogs.parse(batch.get("records").get(2).get("properties").get("log").stringValue());
  }

  /**
   * The annotation keys as the Elastic integration and Fluent Bit's Replace_Dots store them: dots
   * become "_".
   */
  private static ObjectNode dedotted(ObjectNode event) {
    ObjectNode copy = event.deepCopy();
    ObjectNode annotations = VendorLogs.MAPPER.createObjectNode();
    event
        .get("annotations")
        .properties()
        .forEach(a -> annotations.set(a.getKey().replace('.', '_'), a.getValue()));
    copy.set("annotations", annotations);
    return copy;
  }

  private static ObjectNode filebeatMetadata(ObjectNode doc) {
    doc.put("@timestamp", "2020-05-05T16:16:38.104Z");
    doc.set(
        "log",
        obj("offset", 8398, "file", obj("path", "/var/log/kubernetes/kube-apiserver-audit.log")));
    doc.set("agent", obj("type", "filebeat", "version", "8.13.4"));
    doc.set("ecs", obj("version", "8.0.0"));
    return doc;
  }

  @Test
  void elasticKubernetesIntegrationWithDedottedAnnotations() throws IOException {
    ObjectNode event = annotatedEvent();
    ObjectNode doc =
        filebeatMetadata(
            obj(
                "kubernetes",
                obj("audit", dedotted(event)),
                "data_stream",
                obj("dataset", "kubernetes.audit_logs", "namespace", "default", "type", "logs"),
                "event",
                obj("dataset", "kubernetes.audit_logs", "outcome", "success")));

    VendorLogs.Result r = readLines(dir, "elastic-agent.jsonl", List.of(doc.toString()));

    assertThat(r.problems()).isEmpty();
    AuditEvent e = r.single(1);
    assertThat(e).isEqualTo(EventDecoder.decode(event));
    assertThat(seen(e))
        .isEqualTo(
            seen(
                "aksService",
                "create",
                "/api/v1/namespaces/kube-system/configmaps",
                ref("configmaps", "kube-system", "coredns-custom", "", "v1", ""),
                409,
                "allow"));
    assertThat(e.annotations()).containsKey("authorization.k8s.io/reason");
    assertThat(r.formats()).isEqualTo(Map.of(SHIPPER, 1L, "audit Event", 1L));
  }

  @Test
  void eventInLogJsonMessageOrEventOriginal() {
    String fluentd =
        obj(
                "log",
                demoEvent(33) + "\n",
                "stream",
                "stdout",
                "time",
                "2017-09-11T19:56:01.123Z",
                "kubernetes",
                obj("pod_name", "kube-apiserver-master", "namespace_name", "kube-system"))
            .toString();
    String filebeatMessage = filebeatMetadata(obj("message", demoEvent(34))).toString();
    String filebeatJson = filebeatMetadata(obj("json", VendorLogs.parse(demoEvent(35)))).toString();
    String ecsOriginal =
        obj(
                "@timestamp",
                "2017-09-11T19:56:03Z",
                "event",
                obj("original", demoEvent(36), "kind", "event"),
                "message",
                "list pods")
            .toString();
    String flattened =
        obj("@timestamp", "2017-09-11T19:56:04Z", "event.original", demoEvent(37)).toString();

    VendorLogs.Result r =
        readLines(
            dir,
            "shippers.jsonl",
            List.of(fluentd, filebeatMessage, filebeatJson, ecsOriginal, flattened));

    assertThat(r.problems()).isEmpty();
    for (int line = 1; line <= 5; line++) {
      assertThat(r.single(line))
          .isEqualTo(EventDecoder.decode(VendorLogs.parse(demoEvent(32 + line))));
    }
    assertThat(seen(r.single(5)))
        .isEqualTo(
            new VendorLogs.Seen(
                "system:admin",
                "alice",
                "list",
                "/api/v1/namespaces/ns1/secrets",
                ref("secrets", "ns1", "", "", "v1", ""),
                403,
                ""));
    assertThat(r.formats()).containsEntry(SHIPPER, 5L);
  }

  @Test
  void eventFieldsAtTheRootWithReplacedDotsAreNative() throws IOException {
    ObjectNode doc = dedotted(annotatedEvent());
    doc.put("@timestamp", "2020-05-05T16:16:37.705Z");
    doc.set(
        "kubernetes",
        obj("pod_name", "kube-apiserver-79599f95c7-qn557", "namespace_name", "kube-system"));

    VendorLogs.Result r = readLines(dir, "fluent-bit.jsonl", List.of(doc.toString()));

    assertThat(r.problems()).isEmpty();
    assertThat(r.single(1)).isEqualTo(EventDecoder.decode(annotatedEvent()));
    assertThat(r.single(1).decision()).isEqualTo("allow");
    assertThat(r.formats()).isEqualTo(Map.of("audit Event", 1L));
  }

  @Test
  void searchResponseAndDocumentExports() throws IOException {
    ObjectNode fluentd = obj("log", demoEvent(10), "stream", "stdout");
    ObjectNode ecs = obj("event", obj("original", demoEvent(11)));
    ObjectNode search =
        obj(
            "took",
            4,
            "timed_out",
            false,
            "_shards",
            obj("total", 1, "successful", 1, "skipped", 0, "failed", 0),
            "hits",
            obj(
                "total",
                obj("value", 2, "relation", "eq"),
                "max_score",
                1.0,
                "hits",
                arr(
                    obj(
                        "_index",
                        "kube-audit-2017.09.11",
                        "_id",
                        "Yx3PfYoB2y0n5bQm6a1c",
                        "_score",
                        1.0,
                        "_source",
                        fluentd),
                    obj(
                        "_index",
                        "kube-audit-2017.09.11",
                        "_id",
                        "ZB3PfYoB2y0n5bQm6a1c",
                        "_score",
                        1.0,
                        "_source",
                        ecs))));
    Path file = Files.writeString(dir.resolve("search.json"), search.toPrettyString());
    String dumpLine =
        obj(
                "_index",
                "kube-audit-2017.09.11",
                "_id",
                "ZR3PfYoB2y0n5bQm6a1c",
                "_score",
                1,
                "_source",
                obj("message", demoEvent(12)))
            .toString();

    VendorLogs.Result searched = read(file);
    VendorLogs.Result dumped = readLines(dir, "elasticdump.jsonl", List.of(dumpLine));

    assertThat(searched.problems()).isEmpty();
    assertThat(seen(searched.all().get(0)))
        .isEqualTo(new VendorLogs.Seen("system:admin", "bob", "get", "/api", null, 200, ""));
    assertThat(searched.all()).extracting(AuditEvent::requestURI).containsExactly("/api", "/apis");
    assertThat(searched.formats())
        .containsEntry("Elasticsearch/OpenSearch hit", 3L)
        .containsEntry(SHIPPER, 2L);
    assertThat(dumped.problems()).isEmpty();
    assertThat(dumped.single(1).requestURI()).isEqualTo("/apis/apiregistration.k8s.io/v1beta1");
  }
}
