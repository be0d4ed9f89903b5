package dev.rbacsynth.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rbacsynth.Cli;
import dev.rbacsynth.ledger.LedgerJson;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
  static UsageStore store;

  @BeforeAll
  static void start() throws Exception {
    pki = new TestPki(Files.createDirectory(tmp.resolve("pki")));
    Path tokens = tmp.resolve("tokens.csv");
    Files.writeString(tokens, "# static tokens\n" + TOKEN + ",metrics-reader,uid1,\"g1,g2\"\n");
    ServeConfig config =
        TestServeConfig.in(tmp.resolve("state"))
            .tls(pki)
            .tokens(tokens)
            .cluster("test")
            .maxRequestBytes(256 * 1024)
            .limits(2, 8)
            .shutdownGrace(Duration.ofSeconds(5))
            .build();
    store = TestServeConfig.store(config);
    server = TestServeConfig.start(config, store, new RbacEndpoint());
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
        .connectTimeout(Duration.ofSeconds(60))
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
  void eachPathTakesOneMethodAndAnotherGets405NamingIt() throws Exception {
    HttpResponse<String> getAudit = get(apiserver, "/audit", null);
    assertThat(getAudit.statusCode()).isEqualTo(405);
    assertThat(getAudit.headers().firstValue("Allow")).contains("POST");
    assertThat(getAudit.body()).isEqualTo("method not allowed; use POST\n");
    for (String path : List.of("/usage", "/rbac", "/metrics")) {
      // without a body: one the server does not read ends the shared client's connection
      HttpResponse<String> post =
          apiserver.send(
              HttpRequest.newBuilder(base.resolve(path))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).as(path).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).as(path).contains("GET");
    }
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
      s.setSoTimeout(120_000); // a deadline for a hung server only
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
      List<String> headers = new ArrayList<>();
      for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
        headers.add(h.toLowerCase(Locale.ROOT));
      }
      // the body is not waited for, so the connection cannot carry another request: said so
      assertThat(headers).contains("connection: close");
    }
  }

  /** One response read off a raw connection: the status line, headers (lower case), body. */
  record Raw(String status, Map<String, String> headers, String body) {}

  private static String line(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed by the server");
      }
      if (c != '\r') {
        s.append((char) c);
      }
    }
    return s.toString();
  }

  /** Sends one request on the connection and reads its response. */
  private static Raw exchange(
      OutputStream out, InputStream in, String method, String path, String token, byte[] body)
      throws IOException {
    out.write(
        (method
                + " "
                + path
                + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Content-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    String status = line(in);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
    }
    byte[] content = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    return new Raw(status, headers, new String(content, StandardCharsets.UTF_8));
  }

  /**
   * A client that pools its connections (the apiserver's webhook client, kubectl) sends its next
   * request on the connection of a refused one: a 401, 404 or 405 is answered after the body was
   * read, and the connection stays open, one request after the other on one TLS connection.
   */
  @Test
  void refusedRequestsLeaveTheConnectionOpenForTheNext() throws Exception {
    List<String> events = new ArrayList<>();
    while (String.join(",", events).length() < 150_000) {
      events.addAll(demoEvents());
    }
    byte[] batch = eventList("audit.k8s.io/v1", events).getBytes(StandardCharsets.UTF_8);
    assertThat(batch.length).isBetween(150_000, 256 * 1024);
    SSLContext ctx = pki.client(null, null);
    try (SSLSocket s =
        (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.address().getPort())) {
      s.setSoTimeout(120_000); // a deadline for a hung server only
      OutputStream out = s.getOutputStream();
      InputStream in = new BufferedInputStream(s.getInputStream());
      Raw unauthenticated = exchange(out, in, "POST", "/audit", "wrong-" + TOKEN, batch);
      assertThat(unauthenticated.status()).isEqualTo("HTTP/1.1 401 Unauthorized");
      assertThat(unauthenticated.headers()).doesNotContainKey("connection");
      Raw wrongMethod = exchange(out, in, "POST", "/usage", TOKEN, batch);
      assertThat(wrongMethod.status()).isEqualTo("HTTP/1.1 405 Method Not Allowed");
      assertThat(wrongMethod.headers())
          .containsEntry("allow", "GET")
          .doesNotContainKey("connection");
      Raw notFound = exchange(out, in, "POST", "/nothing", TOKEN, batch);
      assertThat(notFound.status()).isEqualTo("HTTP/1.1 404 Not Found");
      Raw stored =
          exchange(
              out,
              in,
              "POST",
              "/audit",
              TOKEN,
              eventList("audit.k8s.io/v1", demoEvents().subList(0, 2))
                  .getBytes(StandardCharsets.UTF_8));
      assertThat(stored.status()).isEqualTo("HTTP/1.1 200 OK");
    }
    // the JDK's pooled client: every refused batch gets its 401, none a broken connection
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = post(anonymous, new String(batch, StandardCharsets.UTF_8), null);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.body()).isEqualTo("Unauthorized\n");
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
    String before = get(apiserver, "/metrics", null).body();
    long malformedBefore =
        metric(before, "rbac_synth_requests_rejected_total{reason=\"malformed\"}");
    long tooLargeBefore =
        metric(before, "rbac_synth_requests_rejected_total{reason=\"too_large\"}");
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
    // over --max-request-bytes (256 KiB here): by Content-Length, and by counting a chunked body
    String big = eventList("audit.k8s.io/v1", Collections.nCopies(600, demoEvents().get(0)));
    assertThat(big.length()).isGreaterThan(256 * 1024);
    assertThat(post(apiserver, big, null).statusCode()).isEqualTo(413);
    HttpRequest chunked =
        HttpRequest.newBuilder(base.resolve("/audit"))
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
            .build();
    assertThat(apiserver.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(413);
    // v1beta1, as older apiservers send it, is accepted; and the server still serves
    assertThat(
            post(apiserver, eventList("audit.k8s.io/v1beta1", demoEvents().subList(3, 5)), null)
                .statusCode())
        .isEqualTo(200);
    String metrics = get(apiserver, "/metrics", null).body();
    assertThat(metric(metrics, "rbac_synth_requests_rejected_total{reason=\"malformed\"}"))
        .isEqualTo(malformedBefore + 4);
    assertThat(metric(metrics, "rbac_synth_requests_rejected_total{reason=\"too_large\"}"))
        .isEqualTo(tooLargeBefore + 2);
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

  @Test
  void aLockedStoreIsA503AndNothingOfTheBatchIsKept() throws Exception {
    String before = get(apiserver, "/usage", null).body();
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      many.add(
          demoEvents()
              .get(i)
              .replaceFirst("\"auditID\":\"[^\"]*\"", "\"auditID\":\"locked-" + i + "\""));
    }
    String body = eventList("audit.k8s.io/v1", many);
    HttpResponse<String> r;
    store.busyTimeout(200);
    // another process holds the database's write lock
    try (Connection other =
            DriverManager.getConnection(
                "jdbc:sqlite:" + tmp.resolve("state/usage.db").toAbsolutePath());
        Statement st = other.createStatement()) {
      st.execute("BEGIN EXCLUSIVE");
      r = post(apiserver, body, null);
      st.execute("ROLLBACK");
    } finally {
      store.busyTimeout(5000);
    }
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("the store cannot write; retry later\n");
    assertThat(r.headers().firstValue("Retry-After")).isPresent();
    assertThat(get(apiserver, "/usage", null).body()).isEqualTo(before);
    assertThat(post(apiserver, body, null).statusCode()).isEqualTo(200); // the resend
    assertThat(events(get(apiserver, "/usage", null).body())).isEqualTo(events(before) + 20);
  }

  static long metric(String metrics, String series) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToLong(l -> Long.parseLong(l.substring(series.length() + 1)))
        .findFirst()
        .orElse(0);
  }

  private static long events(String ledger) {
    return LedgerJson.fromJson(ledger, "usage").observation().events();
  }

  @Test
  void batchesBeyondTheInFlightLimitGet429() throws Exception {
    // a server of its own: the class's shared one may still be busy with an earlier test's
    // connections on a slow machine, and this test counts places
    ServeConfig config = TestServeConfig.in(tmp.resolve("state-429")).tls(pki).limits(2, 8).build();
    AuditServer own = TestServeConfig.start(config, TestServeConfig.store(config), null);
    URI at = URI.create("https://127.0.0.1:" + own.address().getPort());
    List<SSLSocket> slow = new ArrayList<>();
    try {
      // two batches (the limit here) whose bodies are still arriving hold both places
      for (int i = 0; i < 2; i++) {
        SSLSocket s =
            (SSLSocket)
                pki.client(pki.clientCert, pki.clientKey)
                    .getSocketFactory()
                    .createSocket("127.0.0.1", own.address().getPort());
        s.getOutputStream()
            .write(
                ("POST /audit HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"kind\":")
                    .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        slow.add(s);
      }
      // the places are taken once the server has read both slow requests' headers: its gauge
      // says so (a failure here means they never reached the handler, not a missing 429)
      Await.until(
          "both slow batches to be in flight",
          () ->
              metric(send(at, "GET", "/metrics", null).body(), "rbac_synth_batches_in_flight")
                  == 2);
      HttpResponse<String> r = send(at, "POST", "/audit", eventList("audit.k8s.io/v1", List.of()));
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.headers().firstValue("Retry-After")).contains("1");
      // its small body was read first: the connection stays open for the client's retry
      assertThat(r.headers().firstValue("Connection")).isEmpty();
      assertThat(send(at, "GET", "/healthz", null).statusCode()).isEqualTo(200);
      for (SSLSocket s : slow) {
        s.close();
      }
      // the places are free again once the server has seen the connections close
      Await.until(
          "a batch to be accepted after the slow connections closed",
          () ->
              send(at, "POST", "/audit", eventList("audit.k8s.io/v1", List.of())).statusCode()
                  == 200);
    } finally {
      for (SSLSocket s : slow) {
        s.close();
      }
      own.close();
    }
  }

  /**
   * A batch that arrives while the server stops gets its 503 and Retry-After whole: the body is
   * read first (2 MB here, more than the socket buffers hold), as for a 429, so the client does not
   * see its send broken instead.
   */
  @Test
  void aBatchArrivingWhileTheServerStopsGets503AfterItsBodyIsRead() throws Exception {
    ServeConfig config =
        TestServeConfig.in(tmp.resolve("state-stop"))
            .tls(pki)
            .limits(2, 8)
            .shutdownGrace(java.time.Duration.ofSeconds(20))
            .build();
    AuditServer own = TestServeConfig.start(config, TestServeConfig.store(config), null);
    URI at = URI.create("https://127.0.0.1:" + own.address().getPort());
    SSLSocket slow =
        (SSLSocket)
            pki.client(pki.clientCert, pki.clientKey)
                .getSocketFactory()
                .createSocket("127.0.0.1", own.address().getPort());
    Thread closing = new Thread(own::close);
    try {
      // a batch whose body is still arriving keeps the server in its grace period
      slow.getOutputStream()
          .write(
              ("POST /audit HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"kind\":")
                  .getBytes(StandardCharsets.US_ASCII));
      slow.getOutputStream().flush();
      Await.until(
          "the slow batch to be in flight",
          () ->
              metric(send(at, "GET", "/metrics", null).body(), "rbac_synth_batches_in_flight")
                  == 1);
      closing.start();
      Await.until(
          "the server to say it is stopping",
          () -> send(at, "GET", "/readyz", null).statusCode() == 503);
      String big = eventList("audit.k8s.io/v1", List.of()) + " ".repeat(2 << 20);
      HttpResponse<String> r = send(at, "POST", "/audit", big);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("shutting down");
      assertThat(r.headers().firstValue("Retry-After")).contains("1");
    } finally {
      slow.close();
      closing.join(30_000);
    }
  }

  /** One request from the apiserver's client (its certificate) to the server at {@code at}. */
  private static HttpResponse<String> send(URI at, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(at.resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    return apiserver.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutATokenFileProbesGetInAndDataNeedsAClientCertificate() throws Exception {
    // mutual TLS alone (no --token-file): a kubelet probe has no client certificate
    ServeConfig config = TestServeConfig.in(tmp.resolve("state-mtls")).tls(pki).build();
    AuditServer mtls = TestServeConfig.start(config, TestServeConfig.store(config), null);
    try {
      URI at = URI.create("https://127.0.0.1:" + mtls.address().getPort());
      for (String probe : List.of("/healthz", "/readyz")) {
        HttpResponse<String> r =
            anonymous.send(
                HttpRequest.newBuilder(at.resolve(probe)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(probe).isEqualTo(200);
      }
      for (String data : List.of("/usage", "/metrics", "/rbac?user=alice")) {
        HttpResponse<String> r =
            anonymous.send(
                HttpRequest.newBuilder(at.resolve(data)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(data).isEqualTo(401);
      }
      assertThat(
              post(anonymous, at, eventList("audit.k8s.io/v1", demoEvents().subList(0, 1)))
                  .statusCode())
          .isEqualTo(401);
      // a certificate of another CA is still refused in the handshake
      assertThatThrownBy(
              () ->
                  rogue.send(
                      HttpRequest.newBuilder(at.resolve("/healthz")).build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
      assertThat(
              apiserver
                  .send(
                      HttpRequest.newBuilder(at.resolve("/usage")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    } finally {
      mtls.close();
    }
  }

  private static HttpResponse<String> post(HttpClient c, URI at, String body) throws Exception {
    return c.send(
        HttpRequest.newBuilder(at.resolve("/audit"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void plaintextOnlyOnLoopbackAndWithTokens() {
    ServeConfig wide =
        TestServeConfig.in(tmp).host("0.0.0.0").tokens(tmp.resolve("t")).plaintext().build();
    assertThatThrownBy(wide::validate).hasMessageContaining("only on a loopback address");
    ServeConfig noAuth = TestServeConfig.in(tmp).plaintext().build();
    assertThatThrownBy(noAuth::validate).hasMessageStartingWith("no authentication");
    ServeConfig noTls = TestServeConfig.in(tmp).clientCa(pki.ca).build();
    assertThatThrownBy(noTls::validate).hasMessageContaining("--tls-cert-file");
  }

  @Test
  void usageIsTheLedgerOfTheEventsAndRbacIsWhatGenerateWrites() throws Exception {
    // a server of its own, so that only demo.log is in it
    ServeConfig config =
        TestServeConfig.in(tmp.resolve("state-demo")).tls(pki).cluster("demo").limits(2, 4).build();
    try (Serve demo = Serve.start(config, m -> {})) {
      URI url = URI.create("https://127.0.0.1:" + demo.address().getPort());
      List<String> lines = demoEvents();
      for (int i = 0; i < lines.size(); i += 10) {
        HttpResponse<String> r =
            apiserver.send(
                HttpRequest.newBuilder(url.resolve("/audit"))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            eventList(
                                "audit.k8s.io/v1",
                                lines.subList(i, Math.min(lines.size(), i + 10)))))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
      String usage =
          apiserver
              .send(
                  HttpRequest.newBuilder(url.resolve("/usage")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(usage)
          .isEqualTo(
              LedgerJson.toJson(UsageStoreTest.collected(UsageStoreTest.events(lines), "demo")));
      // /rbac: the bytes generate writes from the log
      Cli.Result generated = Cli.generate("testdata/demo.log", "alice", "-q");
      assertThat(generated.exit()).isZero();
      HttpResponse<String> rbac =
          apiserver.send(
              HttpRequest.newBuilder(url.resolve("/rbac?user=alice")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(rbac.statusCode()).isEqualTo(200);
      assertThat(rbac.body()).isEqualTo(generated.out());
      // what it is based on: the stored window, its events and the subject's
      assertThat(rbac.headers().firstValue("X-Rbac-Synth-Observation").orElseThrow())
          .matches("from=20\\S+Z, to=20\\S+Z, events=\\d+, subject-events=[1-9]\\d*");
      // a subject never seen is a 404 (generate's exit 3), not an empty List that reads as
      // "needs nothing"; a bad exact= is a 400, not false
      HttpResponse<String> unseen =
          apiserver.send(
              HttpRequest.newBuilder(url.resolve("/rbac?user=nobody")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(unseen.statusCode()).isEqualTo(404);
      assertThat(unseen.body()).startsWith("no usage recorded for user nobody");
      HttpResponse<String> badExact =
          apiserver.send(
              HttpRequest.newBuilder(url.resolve("/rbac?user=alice&exact=maybe")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(badExact.statusCode()).isEqualTo(400);
      assertThat(badExact.body()).isEqualTo("exact must be true or false, not maybe\n");
      HttpResponse<String> json =
          apiserver.send(
              HttpRequest.newBuilder(url.resolve("/rbac?user=alice&exact=true"))
                  .header("Accept", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(json.body()).startsWith("{").contains("\"kind\" : \"List\"");
      assertThat(
              apiserver
                  .send(
                      HttpRequest.newBuilder(url.resolve("/rbac?user=system:anonymous")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(400);
    }
  }
}
