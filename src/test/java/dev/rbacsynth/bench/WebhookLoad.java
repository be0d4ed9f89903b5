package dev.rbacsynth.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The load generator of {@code src/test/bench/serve-benchmark.sh}: posts {@code EventList} batches
 * to {@code rbac-synth serve} as the apiserver's batching webhook does (about 400 realistic ~1 KB
 * events a batch, watches with all their stages), over TLS with a client certificate, from several
 * connections, and resends a batch until it is acknowledged (as the apiserver retries). Batch
 * {@code i} is always the same events (seeded by i), so a batch resent after a crash is the same
 * batch.
 *
 * <p>The stream is what an apiserver configured with {@code src/main/deploy/audit-policy.yaml}
 * sends: that policy omits the {@code RequestReceived} stage, so the generator's {@code
 * RequestReceived} events are left out (set {@code -Dload.requestReceived=true} to keep them: then
 * a final stage without its {@code RequestReceived} in the same batch is a fragment the store keeps
 * by audit ID).
 *
 * <p>{@code WebhookLoad URL CA CERT KEY(PKCS#8) SECONDS CONNECTIONS FIRST_BATCH [LOG]}: prints
 * throughput per 10 s, acknowledgement latency percentiles (of the attempt that was acknowledged),
 * retries, {@code events=N}: the audit records of the acknowledged batches, which the server's
 * ledger must count exactly once ({@code observation.events}), and {@code requests=N} (audit IDs).
 * With LOG, every event sent is also written there, one a line, for {@code collect}.
 */
public final class WebhookLoad {
  static final int BATCH = 400;

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    SSLContext tls = tls(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
    long seconds = Long.parseLong(args[4]);
    int connections = Integer.parseInt(args[5]);
    long first = Long.parseLong(args[6]);
    Path log = args.length > 7 ? Path.of(args[7]) : null;
    BufferedWriter logOut = log == null ? null : Files.newBufferedWriter(log);

    AtomicLong next = new AtomicLong(first);
    LongAdder events = new LongAdder();
    LongAdder requests = new LongAdder();
    LongAdder retries = new LongAdder();
    ConcurrentLinkedQueue<long[]> acks =
        new ConcurrentLinkedQueue<>(); // {ackTimeNanos, latencyNanos, events}
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    List<Thread> workers = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Thread t =
          new Thread(
              () -> {
                HttpClient client =
                    HttpClient.newBuilder()
                        .sslContext(tls)
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                while (System.nanoTime() < end) {
                  long i = next.getAndIncrement();
                  Batch b = batch(i);
                  if (logOut != null) {
                    synchronized (logOut) {
                      try {
                        for (String e : b.lines) {
                          logOut.write(e);
                          logOut.newLine();
                        }
                      } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    }
                  }
                  long latency = sendUntilAcknowledged(client, url, b.body, retries);
                  acks.add(new long[] {System.nanoTime() - start, latency, b.lines.size()});
                  events.add(b.lines.size());
                  requests.add(b.requests);
                }
              },
              "load-" + c);
      t.start();
      workers.add(t);
    }
    for (Thread t : workers) {
      t.join();
    }
    if (logOut != null) {
      logOut.close();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    List<long[]> all = new ArrayList<>(acks);
    long[] lat = all.stream().mapToLong(a -> a[1]).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "batches=%d events=%d requests=%d seconds=%.1f events_per_s=%.0f retries=%d%n",
        lat.length,
        events.sum(),
        requests.sum(),
        elapsed,
        events.sum() / elapsed,
        retries.sum());
    System.out.printf(
        Locale.ROOT,
        "ack_latency_ms p50=%.1f p90=%.1f p99=%.1f max=%.1f%n",
        pct(lat, 50),
        pct(lat, 90),
        pct(lat, 99),
        lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6);
    long[] perWindow = new long[(int) (elapsed / 10) + 1];
    for (long[] a : all) {
      perWindow[(int) (a[0] / 10_000_000_000L)] += a[2];
    }
    StringBuilder w = new StringBuilder("events_per_s_by_10s_window");
    for (int k = 0; k < perWindow.length; k++) {
      double span = Math.min(10, elapsed - 10 * k);
      if (span >= 5) {
        w.append(String.format(Locale.ROOT, " %.0f", perWindow[k] / span));
      }
    }
    System.out.println(w);
    System.out.println("next_batch=" + next.get());
  }

  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, i)] / 1e6;
  }

  /** Posts until 200; returns the latency of the acknowledged attempt. */
  static long sendUntilAcknowledged(HttpClient client, URI url, byte[] body, LongAdder retries) {
    long backoff = 100;
    while (true) {
      long t0 = System.nanoTime();
      try {
        HttpResponse<Void> r =
            client.send(
                HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return System.nanoTime() - t0;
        }
        if (r.statusCode() != 429 && r.statusCode() != 503) {
          throw new IllegalStateException("the server answered " + r.statusCode());
        }
      } catch (IOException e) {
        // connection refused or reset (a crashed server): resend
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      retries.increment();
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      backoff = Math.min(2000, backoff * 2);
    }
  }

  record Batch(byte[] body, List<String> lines, long requests) {}

  private static final int TEMPLATES = 32;
  private static final boolean REQUEST_RECEIVED = Boolean.getBoolean("load.requestReceived");
  private static List<List<String>> templates;

  /**
   * Batch i: the same events every time. The events come from {@link AuditLogGenerator} (32
   * generated batches, reused so that generating does not compete with the server for the CPU),
   * with audit IDs made unique per batch: UUID(i, k) for the k-th request of the batch.
   */
  static Batch batch(long i) {
    List<String> template = templates().get((int) (i % TEMPLATES));
    List<String> lines = new ArrayList<>(template.size());
    java.util.Map<String, String> ids = new java.util.HashMap<>();
    for (String event : template) {
      int at = event.indexOf("\"auditID\":\"") + 11;
      int stop = event.indexOf('"', at);
      String old = event.substring(at, stop);
      String id = ids.computeIfAbsent(old, o -> new java.util.UUID(i, ids.size()).toString());
      lines.add(event.substring(0, at) + id + event.substring(stop));
    }
    StringBuilder body =
        new StringBuilder(lines.size() * 1100)
            .append(
                "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":[");
    for (int k = 0; k < lines.size(); k++) {
      body.append(k == 0 ? "" : ",").append(lines.get(k));
    }
    body.append("]}");
    return new Batch(body.toString().getBytes(StandardCharsets.UTF_8), lines, ids.size());
  }

  private static synchronized List<List<String>> templates() {
    if (templates == null) {
      List<List<String>> all = new ArrayList<>();
      for (int t = 0; t < TEMPLATES; t++) {
        AuditLogGenerator g = new AuditLogGenerator(1_000_003L * t + 17, 3);
        StringBuilder line = new StringBuilder(2048);
        List<String> lines = new ArrayList<>(BATCH + 4);
        while (lines.size() < BATCH) {
          for (String e : g.request(line)) {
            if (REQUEST_RECEIVED || !e.contains("\"stage\":\"RequestReceived\"")) {
              lines.add(e.strip());
            }
          }
        }
        all.add(List.copyOf(lines));
      }
      templates = List.copyOf(all);
    }
    return templates;
  }

  static SSLContext tls(Path ca, Path cert, Path key) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (var in = Files.newInputStream(ca)) {
      trust.setCertificateEntry("ca", cf.generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    X509Certificate c;
    try (var in = Files.newInputStream(cert)) {
      c = (X509Certificate) cf.generateCertificate(in);
    }
    String pem = Files.readString(key);
    byte[] der =
        Base64.getMimeDecoder()
            .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    PrivateKey pk = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("client", pk, new char[0], new X509Certificate[] {c});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }
}
