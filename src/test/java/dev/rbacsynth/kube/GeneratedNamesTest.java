package dev.rbacsynth.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.HkermaAuditLog;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Names a controller generated, recognised on every object name of the real hkerma log (a kubeadm
 * 1.23 cluster installing Helm charts): rollout pods, ReplicaSets, revisions, Events,
 * EndpointSlices, token Secrets and provisioned volumes are; StatefulSet pods, static pods and
 * every name a chart chose are not (semantics.md §7.1).
 */
class GeneratedNamesTest {

  /** Every (resource, name) of the log's objectRefs. */
  private static SortedMap<String, SortedSet<String>> namesInTheLog() throws IOException {
    ObjectMapper json = new ObjectMapper();
    SortedMap<String, SortedSet<String>> out = new TreeMap<>();
    for (String line : Files.readAllLines(HkermaAuditLog.jsonl())) {
      JsonNode ref = json.readTree(line).path("objectRef");
      if (ref.hasNonNull("name")) {
        out.computeIfAbsent(ref.get("resource").asString(), r -> new TreeSet<>())
            .add(ref.get("name").asString());
      }
    }
    return out;
  }

  @Test
  void theRealLogsGeneratedNamesAreRecognisedAndItsChosenOnesAreNot() throws IOException {
    Map<String, Integer> recognised = new TreeMap<>();
    Map<String, Set<String>> stable = new TreeMap<>();
    namesInTheLog()
        .forEach(
            (resource, names) -> {
              for (String name : names) {
                if (GeneratedNames.recognise(resource, name).isPresent()) {
                  recognised.merge(resource, 1, Integer::sum);
                } else if (Set.of("pods", "endpointslices", "secrets").contains(resource)) {
                  stable.computeIfAbsent(resource, r -> new TreeSet<>()).add(name);
                }
              }
            });
    assertThat(recognised)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "controllerrevisions", 9,
                "endpointslices", 30,
                "events", 249,
                "persistentvolumes", 10,
                "pods", 29,
                "replicasets", 21,
                "secrets", 30,
                "volumeattachments", 5));
    assertThat(stable.get("pods"))
        .as("StatefulSet pods and static (mirror) pods keep their names")
        .containsExactly(
            "alertmanager-my-kube-prometheus-stack-alertmanager-0",
            "kube-apiserver-k8s-master-perfspec",
            "kube-controller-manager-k8s-master-perfspec",
            "kube-scheduler-k8s-master-perfspec",
            "my-argo-cd-argocd-application-controller-0",
            "my-postgresql-0",
            "my-prometheus-alertmanager-0",
            "my-redis-master-0",
            "my-redis-replicas-0",
            "prometheus-my-kube-prometheus-stack-prometheus-0");
    assertThat(stable.get("endpointslices")).containsExactly("kubernetes");
    assertThat(stable.get("secrets"))
        .contains("my-ingress-nginx-admission", "argocd-secret", "my-cert-manager-webhook-ca")
        .noneMatch(s -> s.contains("-token-"));
  }

  @Test
  void eachShapeSaysWhatTheNameIs() {
    assertThat(GeneratedNames.recognise("pods", "my-ingress-nginx-controller-6585b4f8f7-wltlx"))
        .hasValue(
            "a pod of the Deployment's ReplicaSet my-ingress-nginx-controller-6585b4f8f7"
                + " (pod-template hash and random suffix)");
    assertThat(GeneratedNames.recognise("events", "web-5bc859c67f.173e3ddb01a2e3b9"))
        .hasValue("an Event about web-5bc859c67f (named after its time, 173e3ddb01a2e3b9)");
    assertThat(GeneratedNames.recognise("pods", "my-ingress-nginx-admission-create-wdd2k"))
        .hasValue(
            "a pod named by generateName my-ingress-nginx-admission-create- (a DaemonSet's or"
                + " Job's pod)");
    // CronJob Jobs are named after their scheduled minute (getJobName): no such Job in the log
    assertThat(GeneratedNames.recognise("jobs", "nightly-backup-28012345"))
        .hasValue("the CronJob nightly-backup's Job of minute 28012345");
    assertThat(GeneratedNames.recognise("pods", "nightly-backup-28012345-x7k2p"))
        .hasValue("a pod of the CronJob nightly-backup's Job of minute 28012345");
    // the shapes hold only for their resources, and chosen names with vowels never match
    assertThat(GeneratedNames.recognise("configmaps", "my-ingress-nginx-controller-6585b4f8f7"))
        .isEmpty();
    assertThat(GeneratedNames.recognise("pods", "web-nginx")).isEmpty();
    assertThat(GeneratedNames.recognise("jobs", "my-ingress-nginx-admission-create")).isEmpty();
    assertThat(GeneratedNames.recognise("leases", "my-ingress-nginx-leader")).isEmpty();
  }
}
