package dev.rbacsynth.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server on loopback over TLS, with certificates made by openssl, checked from outside:
 * who gets in, what bad bodies get, and that it keeps serving.
 */
class AuditServerTest {
  static final String TOKEN = "s3cr3t-token-for-tests";
  @TempDir static Path tmp;
  static TestPki pki;
  static AuditServer server;
  static URI base;
  static HttpClient apiserver;
  static HttpClient anonymous;
  static HttpClient rogue;

  @BeforeAll
  static void start() throws Exception {
    pki = new TestPki(Files.createDirectory(tmp.resolve("pki")));
    Path tokens = tmp.resolve("tokens.csv");
    Files.writeString(tokens, "# static tokens\n" + TOKEN + ",metrics-reader,uid1,\"g1,g2\"\n");
    ServeConfig config =
        new ServeConfig(
            new java.net.InetSocketAddress("127.0.0.1", 0),
            tmp.resolve("state"),
            pki.serverCert,
            pki.serverKey,
            pki.ca,
            tokens,
            "test",
            false,
            64 * 1024,
            2,
            8,
            Duration.ofHours(1),
            Duration.ofSeconds(5));
    UsageStore store =
        new UsageStore(
            config.stateDir(),
            new CountingCodec(),
            config.retention(),
            java.time.Clock.systemUTC());
    server = new AuditServer(config, store, null, m -> {});
    server.start();
    base = URI.create("https://127.0.0.1:" + server.address().getPort());
    apiserver = client(pki.client(pki.clientCert, pki.clientKey));
    anonymous = client(pki.client(null, null));
    rogue = client(pki.client(pki.rogueCert, pki.rogueKey, true));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpClient client(SSLContext ctx) {
    return HttpClient.newBuilder()
        .sslContext(ctx)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  static String eventList(String apiVersion, List<String> items) {
    return "{\"kind\":\"EventList\",\"apiVersion\":\""
        + apiVersion
        + "\",\"metadata\":{},\"items\":["
        + String.join(",", items)
        + "]}";
  }

  static List<String> demoEvents() throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("testdata/demo.log"))) {
      if (!line.isBlank()) {
        out.add(line);
      }
    }
    return out;
  }

  static HttpResponse<String> post(HttpClient c, String body, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve("/audit"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(HttpClient c, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theApiserversCertificateOrATokenGetsIn() throws Exception {
    String body = eventList("audit.k8s.io/v1", demoEvents().subList(0, 3));
    assertThat(post(apiserver, body, null).statusCode()).isEqualTo(200);
    assertThat(post(anonymous, body, TOKEN).statusCode()).isEqualTo(200);
    assertThat(get(apiserver, "/usage", null).statusCode()).isEqualTo(200);
    assertThat(get(anonymous, "/metrics", TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void noCertificateAndNoOrAWrongTokenGet401OnEveryDataEndpoint() throws Exception {
    String body = eventList("audit.k8s.io/v1", demoEvents().subList(0, 1));
    assertThat(post(anonymous, body, null).statusCode()).isEqualTo(401);
    assertThat(post(anonymous, body, TOKEN + "x").statusCode()).isEqualTo(401);
    assertThat(post(anonymous, body, TOKEN.substring(1)).statusCode()).isEqualTo(401);
    for (String path : List.of("/usage", "/metrics", "/rbac?user=alice", "/nothing")) {
      HttpResponse<String> r = get(anonymous, path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    }
    assertThat(get(anonymous, "/healthz", null).statusCode()).isEqualTo(200);
    assertThat(get(anonymous, "/readyz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aCertificateFromAnotherCaIsRefusedInTheHandshake() throws Exception {
    // offered only if forced (the server names its CA); not offered, it is no authentication
    HttpClient polite = client(pki.client(pki.rogueCert, pki.rogueKey));
    assertThat(post(polite, eventList("audit.k8s.io/v1", List.of()), null).statusCode())
        .isEqualTo(401);
    assertThatThrownBy(() -> post(rogue, eventList("audit.k8s.io/v1", List.of()), TOKEN))
        .isInstanceOf(IOException.class);
  }

  @Test
  void unauthenticatedRequestsAreAnsweredBeforeTheirBodyIsSent() throws Exception {
    SSLContext ctx = pki.client(null, null);
    try (SSLSocket s =
        (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.address().getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      // declares 50 MB (also over the size limit) and sends none of it
      out.write(
          ("POST /audit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 50000000\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 401 Unauthorized");
    }
  }

  @Test
  void tlsOlderThan12IsRefused() throws Exception {
    SSLContext ctx = pki.client(pki.clientCert, pki.clientKey);
    try (SSLSocket s =
        (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.address().getPort())) {
      s.setEnabledProtocols(new String[] {"TLSv1.1"});
      assertThatThrownBy(s::startHandshake).isInstanceOf(IOException.class);
    }
  }

  @Test
  void malformedAndOversizedBodiesAreRefusedAndTheServerGoesOn() throws Exception {
    HttpResponse<String> r = post(apiserver, "{\"kind\":\"EventList\",\"items\":[{", null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).startsWith("malformed JSON at line 1").hasLineCount(1);
    r = post(apiserver, demoEvents().get(0), null); // one Event, not a list
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("expected kind EventList, found kind \"Event\"\n");
    r = post(apiserver, eventList("audit.k8s.io/v2", List.of()), null);
    assertThat(r.statusCode()).isEqualTo(400);
    r = post(apiserver, "[]", null);
    assertThat(r.statusCode()).isEqualTo(400);
    // over --max-request-bytes (64 KiB here): by Content-Length, and by counting a chunked body
    String big =
        eventList("audit.k8s.io/v1", java.util.Collections.nCopies(200, demoEvents().get(0)));
    assertThat(big.length()).isGreaterThan(64 * 1024);
    assertThat(post(apiserver, big, null).statusCode()).isEqualTo(413);
    HttpRequest chunked =
        HttpRequest.newBuilder(base.resolve("/audit"))
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
            .build();
    assertThat(apiserver.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(413);
    // v1beta1, as older apiservers send it, is accepted; and the server still serves
    assertThat(
            post(apiserver, eventList("audit.k8s.io/v1beta1", demoEvents().subList(3, 5)), null)
                .statusCode())
        .isEqualTo(200);
    String metrics = get(apiserver, "/metrics", null).body();
    assertThat(metrics)
        .contains("rbac_synth_requests_rejected_total{reason=\"malformed\"} 4")
        .containsPattern("rbac_synth_requests_rejected_total\\{reason=\"too_large\"\\} [2-9]");
  }

  @Test
  void metricsNameNoSubject() throws Exception {
    post(apiserver, eventList("audit.k8s.io/v1", demoEvents()), null);
    String metrics = get(apiserver, "/metrics", null).body();
    assertThat(metrics)
        .contains("# TYPE rbac_synth_audit_request_duration_seconds histogram")
        .contains("rbac_synth_audit_request_duration_seconds_bucket{le=\"0.25\"}")
        .contains("rbac_synth_events_received_total")
        .contains("rbac_synth_subjects ")
        .contains("rbac_synth_distinct_requests ")
        .contains("rbac_synth_store_bytes ")
        .doesNotContain("alice")
        .doesNotContain("system:admin");
  }
}
