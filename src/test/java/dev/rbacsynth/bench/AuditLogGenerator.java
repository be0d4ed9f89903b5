package dev.rbacsynth.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a realistic, reproducible audit log of any size: audit.k8s.io/v1 JSON lines as
 * kube-apiserver's log backend writes them (about 1 KB each), from users, service accounts and
 * nodes, with subresources, non-resource URLs, watches
 * (RequestReceived/ResponseStarted/ResponseComplete stages), denied and admission-rejected
 * requests, impersonation and Request-level bodies. The same seed gives the same bytes.
 *
 * <p>Usage: {@code AuditLogGenerator OUTPUT SIZE_MB [SEED] [SUBJECT_PERCENT]}; OUTPUT ending in
 * {@code .gz} is gzipped. The benchmark subject is {@code system:serviceaccount:shop:web}.
 */
public final class AuditLogGenerator {

  public static final String SUBJECT = "system:serviceaccount:shop:web";

  private static final String[] NAMESPACES = {
    "shop", "payments", "monitoring", "kube-system", "default", "ci"
  };
  private static final String[][] RESOURCES = {
    {"", "v1", "pods"},
    {"", "v1", "configmaps"},
    {"", "v1", "secrets"},
    {"", "v1", "services"},
    {"", "v1", "endpoints"},
    {"", "v1", "events"},
    {"apps", "v1", "deployments"},
    {"apps", "v1", "replicasets"},
    {"coordination.k8s.io", "v1", "leases"},
    {"batch", "v1", "jobs"},
    {"networking.k8s.io", "v1", "ingresses"},
    {"example.com", "v1alpha1", "widgets"},
    {"events.k8s.io", "v1", "events"},
    {"discovery.k8s.io", "v1", "endpointslices"}
  };
  private static final String[] NON_RESOURCE = {
    "/api",
    "/apis",
    "/apis/apps/v1",
    "/version",
    "/healthz",
    "/readyz?verbose",
    "/metrics",
    "/openapi/v2",
    "/livez/ping",
    "/.well-known/openid-configuration"
  };
  private static final String[] AGENTS = {
    "kube-controller-manager/v1.36.0 (linux/amd64) kubernetes/5c1a3e5/system:serviceaccount:kube-system:"
        + "replicaset-controller",
    "kubectl/v1.36.0 (linux/amd64) kubernetes/5c1a3e5",
    "shop-web/2.3.1 (linux/amd64) client-go/v0.36.3",
    "kubelet/v1.36.0 (linux/amd64) kubernetes/5c1a3e5"
  };

  private final SplittableRandom random;
  private final int subjectPercent;
  private long clock = Instant.parse("2026-05-04T10:00:00Z").toEpochMilli() * 1000;

  AuditLogGenerator(long seed, int subjectPercent) {
    this.random = new SplittableRandom(seed);
    this.subjectPercent = subjectPercent;
  }

  public static void main(String[] args) throws IOException {
    if (args[0].equals("--service-accounts")) {
      int n = Integer.parseInt(args[1]);
      writeServiceAccounts(Path.of(args[2]), n);
      System.err.printf(
          Locale.ROOT,
          "wrote %s/rbac.yaml and %s/audit.log: %d service accounts%n",
          args[2],
          args[2],
          n);
      return;
    }
    if (args[0].equals("--distinct")) {
      int n = Integer.parseInt(args[1]);
      writeDistinct(Path.of(args[2]), n);
      System.err.printf(Locale.ROOT, "wrote %s: %d distinct requests of %s%n", args[2], n, SUBJECT);
      return;
    }
    Path out = Path.of(args[0]);
    long bytes = Long.parseLong(args[1]) * 1_000_000L;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
    int percent = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    long written = write(out, bytes, seed, percent);
    System.err.printf(Locale.ROOT, "wrote %s: %.1f MB of audit events%n", out, written / 1e6);
  }

  /** Writes at least {@code bytes} uncompressed bytes of events; returns how many were written. */
  public static long write(Path file, long bytes, long seed, int subjectPercent)
      throws IOException {
    AuditLogGenerator generator = new AuditLogGenerator(seed, subjectPercent);
    OutputStream raw = Files.newOutputStream(file);
    if (file.toString().endsWith(".gz")) {
      raw = new GZIPOutputStream(raw, 1 << 16);
    }
    long written = 0;
    try (OutputStream out = new BufferedOutputStream(raw, 1 << 20)) {
      StringBuilder line = new StringBuilder(2048);
      while (written < bytes) {
        for (String event : generator.request(line)) {
          byte[] data = event.getBytes(StandardCharsets.UTF_8);
          out.write(data);
          written += data.length;
        }
      }
    }
    return written;
  }

  /**
   * Writes {@code n} requests of the subject, each on a distinct (resource, name, namespace): the
   * worst case for aggregation and compaction.
   */
  public static void writeDistinct(Path file, int n) throws IOException {
    AuditLogGenerator generator = new AuditLogGenerator(7, 100);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      StringBuilder line = new StringBuilder(2048);
      for (int i = 0; i < n; i++) {
        String[] r = RESOURCES[i % RESOURCES.length];
        String ns = "team-" + (i / 1000);
        String name = "object-" + i;
        String uri =
            (r[0].isEmpty() ? "/api/" + r[1] : "/apis/" + r[0] + "/" + r[1])
                + "/namespaces/"
                + ns
                + "/"
                + r[2]
                + "/"
                + name;
        String ref =
            "{\"resource\":\""
                + r[2]
                + "\",\"namespace\":\""
                + ns
                + "\",\"name\":\""
                + name
                + "\""
                + (r[0].isEmpty() ? "" : ",\"apiGroup\":\"" + r[0] + "\"")
                + ",\"apiVersion\":\""
                + r[1]
                + "\"}";
        String id = new UUID(i, 99).toString();
        out.write(
            generator
                .event(
                    line,
                    id,
                    "ResponseComplete",
                    uri,
                    "get",
                    SUBJECT,
                    true,
                    null,
                    ref,
                    200,
                    "allow",
                    null)
                .getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * Writes {@code dir/rbac.yaml}: {@code n} service accounts {@code app-I} in 1 000 namespaces
   * {@code ns-(I mod 1000)}, each bound by one RoleBinding of its own to a shared ClusterRole, as a
   * multi-tenant cluster's RBAC dump; and {@code dir/audit.log}: two requests of each (one the
   * binding allows, one it does not): the worst case of {@code diff --all-subjects}.
   */
  public static void writeServiceAccounts(Path dir, int n) throws IOException {
    Files.createDirectories(dir);
    try (OutputStream out =
        new BufferedOutputStream(Files.newOutputStream(dir.resolve("rbac.yaml")), 1 << 20)) {
      out.write(
          ("apiVersion: rbac.authorization.k8s.io/v1\n"
                  + "kind: ClusterRole\n"
                  + "metadata:\n"
                  + "  name: app-config-reader\n"
                  + "rules:\n"
                  + "- apiGroups: [\"\"]\n"
                  + "  resources: [configmaps]\n"
                  + "  verbs: [get, list, watch]\n")
              .getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < n; i++) {
        String ns = "ns-" + (i % 1000);
        out.write(
            ("---\n"
                    + "apiVersion: rbac.authorization.k8s.io/v1\n"
                    + "kind: RoleBinding\n"
                    + "metadata:\n"
                    + "  name: app-"
                    + i
                    + "\n"
                    + "  namespace: "
                    + ns
                    + "\n"
                    + "roleRef:\n"
                    + "  apiGroup: rbac.authorization.k8s.io\n"
                    + "  kind: ClusterRole\n"
                    + "  name: app-config-reader\n"
                    + "subjects:\n"
                    + "- kind: ServiceAccount\n"
                    + "  name: app-"
                    + i
                    + "\n"
                    + "  namespace: "
                    + ns
                    + "\n")
                .getBytes(StandardCharsets.UTF_8));
      }
    }
    AuditLogGenerator generator = new AuditLogGenerator(11, 0);
    try (OutputStream out =
        new BufferedOutputStream(Files.newOutputStream(dir.resolve("audit.log")), 1 << 20)) {
      StringBuilder line = new StringBuilder(2048);
      for (int i = 0; i < n; i++) {
        String ns = "ns-" + (i % 1000);
        String user = "system:serviceaccount:" + ns + ":app-" + i;
        String[][] requests = {
          {"/api/v1/namespaces/" + ns + "/configmaps/app-" + i, "configmaps", "allow", "200"},
          {"/api/v1/namespaces/" + ns + "/secrets/app-" + i, "secrets", "forbid", "403"}
        };
        for (int k = 0; k < requests.length; k++) {
          String[] q = requests[k];
          String ref =
              "{\"resource\":\""
                  + q[1]
                  + "\",\"namespace\":\""
                  + ns
                  + "\",\"name\":\"app-"
                  + i
                  + "\",\"apiVersion\":\"v1\"}";
          out.write(
              generator
                  .event(
                      line,
                      new UUID(i, k).toString(),
                      "ResponseComplete",
                      q[0],
                      "get",
                      user,
                      true,
                      null,
                      ref,
                      Integer.parseInt(q[3]),
                      q[2],
                      null)
                  .getBytes(StandardCharsets.UTF_8));
        }
      }
    }
  }

  /** One request: one to three stage events. */
  String[] request(StringBuilder line) {
    clock += 200 + random.nextInt(2000);
    String user = pickUser();
    boolean sa = user.startsWith("system:serviceaccount:");
    String impersonated = random.nextInt(200) == 0 ? "jane@example.com" : null;
    String id = new UUID(random.nextLong(), random.nextLong()).toString();
    int kind = random.nextInt(100);
    if (kind < 12) {
      String uri = NON_RESOURCE[random.nextInt(NON_RESOURCE.length)];
      boolean denied = uri.startsWith("/metrics") && !sa;
      return new String[] {
        event(
            line,
            id,
            "ResponseComplete",
            uri,
            "get",
            user,
            sa,
            impersonated,
            null,
            denied ? 403 : 200,
            denied ? "forbid" : "allow",
            null)
      };
    }
    String[] r = RESOURCES[random.nextInt(RESOURCES.length)];
    String ns = NAMESPACES[random.nextInt(NAMESPACES.length)];
    String name = r[2].substring(0, r[2].length() - 1) + "-" + random.nextInt(40);
    String base =
        (r[0].isEmpty() ? "/api/" + r[1] : "/apis/" + r[0] + "/" + r[1])
            + "/namespaces/"
            + ns
            + "/"
            + r[2];
    String verb;
    String uri;
    String sub = null;
    int code = 200;
    String body = null;
    switch (kind % 10) {
      case 0, 1 -> {
        verb = "watch";
        uri =
            base
                + "?allowWatchBookmarks=true&resourceVersion="
                + random.nextInt(1_000_000)
                + "&timeoutSeconds="
                + (300 + random.nextInt(300))
                + "&watch=true";
      }
      case 2, 3 -> {
        verb = "list";
        uri = base + "?limit=500&resourceVersion=0";
      }
      case 4 -> {
        verb = "create";
        uri = base + "?fieldManager=kubectl-create&fieldValidation=Strict";
        code = 201;
        body =
            "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\""
                + name
                + "\",\"namespace\":\""
                + ns
                + "\",\"labels\":{\"app\":\"shop\",\"tier\":\"web\"}},\"data\":{\"mode\":"
                + "\"production\",\"replicas\":\"3\"}}";
      }
      case 5 -> {
        verb = "update";
        uri = base + "/" + name + "/status";
        sub = "status";
      }
      case 6 -> {
        verb = "patch";
        uri = base + "/" + name + "?fieldManager=kubectl&force=false";
      }
      case 7 -> {
        verb = "get";
        uri = base + "/" + name + "/log?container=app";
        sub = r[2].equals("pods") ? "log" : null;
        if (sub == null) {
          uri = base + "/" + name;
        }
      }
      default -> {
        verb = "get";
        uri = base + "/" + name;
        code = random.nextInt(10) == 0 ? 404 : 200;
      }
    }
    boolean forbidden = random.nextInt(25) == 0;
    String decision = forbidden ? "forbid" : "allow";
    if (forbidden) {
      code = 403;
    }
    String objectRef =
        "{\"resource\":\""
            + r[2]
            + "\",\"namespace\":\""
            + ns
            + "\""
            + (verb.equals("list") || verb.equals("watch") ? "" : ",\"name\":\"" + name + "\"")
            + (r[0].isEmpty() ? "" : ",\"apiGroup\":\"" + r[0] + "\"")
            + ",\"apiVersion\":\""
            + r[1]
            + "\""
            + (sub == null ? "" : ",\"subresource\":\"" + sub + "\"")
            + "}";
    String complete =
        event(
            line,
            id,
            "ResponseComplete",
            uri,
            verb,
            user,
            sa,
            impersonated,
            objectRef,
            code,
            decision,
            body);
    if (!verb.equals("watch")) {
      return new String[] {complete};
    }
    String received =
        event(line, id, "RequestReceived", uri, verb, user, sa, null, objectRef, 0, null, null);
    String started =
        event(
            line,
            id,
            "ResponseStarted",
            uri,
            verb,
            user,
            sa,
            impersonated,
            objectRef,
            code,
            decision,
            null);
    return new String[] {received, started, complete};
  }

  private String pickUser() {
    int p = random.nextInt(100);
    if (p < subjectPercent) {
      return SUBJECT;
    }
    if (p < 55) {
      String[] sas = {
        "kube-system:replicaset-controller",
        "kube-system:deployment-controller",
        "monitoring:prometheus",
        "payments:api",
        "ci:runner",
        "kube-system:endpointslice-controller"
      };
      return "system:serviceaccount:"
          + sas[random.nextInt(sas.length)]
          + (random.nextInt(3) == 0 ? "" : "");
    }
    if (p < 80) {
      return "system:node:worker-" + random.nextInt(50);
    }
    return new String[] {"alice", "bob@example.com", "ci-bot", "system:kube-scheduler"}
        [random.nextInt(4)];
  }

  private String event(
      StringBuilder s,
      String id,
      String stage,
      String uri,
      String verb,
      String user,
      boolean sa,
      String impersonated,
      String objectRef,
      int code,
      String decision,
      String body) {
    s.setLength(0);
    String level = body != null ? "Request" : "Metadata";
    s.append("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"")
        .append(level)
        .append("\",\"auditID\":\"")
        .append(id)
        .append("\",\"stage\":\"")
        .append(stage)
        .append("\",\"requestURI\":\"")
        .append(uri)
        .append("\",\"verb\":\"")
        .append(verb)
        .append("\",\"user\":{\"username\":\"")
        .append(user)
        .append("\",\"uid\":\"")
        .append(new UUID(user.hashCode(), 7).toString())
        .append("\",\"groups\":[");
    if (sa) {
      String ns = user.split(":")[2];
      s.append("\"system:serviceaccounts\",\"system:serviceaccounts:").append(ns).append("\",");
    } else if (user.startsWith("system:node:")) {
      s.append("\"system:nodes\",");
    }
    s.append("\"system:authenticated\"]");
    if (sa) {
      s.append(",\"extra\":{\"authentication.kubernetes.io/credential-id\":[\"JTI=")
          .append(new UUID(user.hashCode(), 11))
          .append(
              "\"],\"authentication.kubernetes.io/node-name\":[\"worker-3\"]"
                  + ",\"authentication.kubernetes.io/pod-name\":[\"web-7d9f8b6c5-x2x9q\"]}");
    }
    s.append('}');
    if (impersonated != null) {
      s.append(",\"impersonatedUser\":{\"username\":\"")
          .append(impersonated)
          .append("\",\"groups\":[\"system:authenticated\"]}");
    }
    s.append(",\"sourceIPs\":[\"10.244.")
        .append(random.nextInt(8))
        .append('.')
        .append(random.nextInt(250))
        .append("\"],\"userAgent\":\"")
        .append(AGENTS[random.nextInt(AGENTS.length)])
        .append('"');
    if (objectRef != null) {
      s.append(",\"objectRef\":").append(objectRef);
    }
    if (code != 0) {
      s.append(",\"responseStatus\":{\"metadata\":{}");
      if (code == 403) {
        s.append(",\"status\":\"Failure\",\"message\":\"forbidden: User \\\"")
            .append(user)
            .append("\\\" cannot ")
            .append(verb)
            .append(" here\",\"reason\":\"Forbidden\"");
      }
      s.append(",\"code\":").append(code).append('}');
    }
    if (body != null) {
      s.append(",\"requestObject\":").append(body);
    }
    String received = micros(clock);
    s.append(",\"requestReceivedTimestamp\":\"")
        .append(received)
        .append("\",\"stageTimestamp\":\"")
        .append(micros(clock + 1500 + random.nextInt(5000)))
        .append('"');
    if (decision != null) {
      s.append(",\"annotations\":{\"authorization.k8s.io/decision\":\"")
          .append(decision)
          .append("\",\"authorization.k8s.io/reason\":\"")
          .append(
              decision.equals("allow")
                  ? "RBAC: allowed by ClusterRoleBinding \\\"sandbox\\\" of ClusterRole "
                      + "\\\"cluster-admin\\\" to Group \\\"system:authenticated\\\""
                  : "")
          .append("\"}");
    }
    return s.append("}\n").toString();
  }

  private static String micros(long micros) {
    Instant t = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
    String text = t.toString();
    return text.endsWith("Z") && text.length() < 27 ? text.replace("Z", ".000000Z") : text;
  }
}
