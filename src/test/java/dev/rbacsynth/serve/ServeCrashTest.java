package dev.rbacsynth.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.HkermaAuditLog;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve in a child JVM, killed with SIGKILL while batches arrive, restarted on the same state:
 * every acknowledged batch is there, resent batches (the unacknowledged ones, and some acknowledged
 * ones too) are counted once, and the result equals storing every batch exactly once.
 */
class ServeCrashTest {
  @TempDir Path tmp;

  /** The first {@code max} events of the real hkerma log, in batches of {@code size}. */
  static List<String> batches(int size, int max) throws IOException {
    List<String> lines =
        Files.readAllLines(HkermaAuditLog.jsonl()).stream()
            .filter(l -> !l.isBlank())
            .limit(max)
            .toList();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i += size) {
      out.add(
          AuditServerTest.eventList(
              "audit.k8s.io/v1", lines.subList(i, Math.min(lines.size(), i + size))));
    }
    return out;
  }

  private Process start(TestPki pki, int port, Path state) throws IOException {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            dev.rbacsynth.cli.RbacSynth.class.getName(),
            "serve",
            "--listen",
            "127.0.0.1:" + port,
            "--state-dir",
            state.toString(),
            "--tls-cert-file",
            pki.serverCert.toString(),
            "--tls-private-key-file",
            pki.serverKey.toString(),
            "--client-ca-file",
            pki.ca.toString(),
            "--cluster",
            "kubeadm");
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("server.log").toFile()))
        .start();
  }

  private static void awaitReady(HttpClient client, URI base) throws InterruptedException {
    Await.until(
        "the server to answer /readyz with 200",
        () ->
            client
                    .send(
                        HttpRequest.newBuilder(base.resolve("/readyz"))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode()
                == 200);
  }

  /** Posts until acknowledged, as the apiserver resends a batch it got no 200 for. */
  private static void postUntilAcknowledged(HttpClient client, URI base, String body)
      throws InterruptedException {
    Await.until(
        "a batch to be acknowledged",
        Duration.ofMinutes(5),
        () ->
            client
                        .send(
                            HttpRequest.newBuilder(base.resolve("/audit"))
                                .timeout(Duration.ofSeconds(60))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200
                ? Boolean.TRUE
                : null); // 503 while starting, refused or reset while killed: resend
  }

  @Test
  @Timeout(900) // a deadline for a hung run only; a loaded machine is slow
  void aKilledServerLosesNoAcknowledgedBatchAndCountsResentOnesOnce() throws Exception {
    TestPki pki = new TestPki(Files.createDirectory(tmp.resolve("pki")));
    List<String> batches = batches(400, 6000);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI base = URI.create("https://127.0.0.1:" + port);
    HttpClient client = AuditServerTest.client(pki.client(pki.clientCert, pki.clientKey));
    Path state = tmp.resolve("state");
    Process server = start(pki, port, state);
    try {
      awaitReady(client, base);
      int half = batches.size() / 2;
      for (int i = 0; i < half; i++) {
        postUntilAcknowledged(client, base, batches.get(i));
      }
      // the second half arrives from a sender that resends until acknowledged; the server is killed
      // with SIGKILL after three more acknowledgements, mid-stream
      AtomicInteger acknowledged = new AtomicInteger(half);
      Thread sender =
          new Thread(
              () -> {
                try {
                  for (int i = half; i < batches.size(); i++) {
                    postUntilAcknowledged(client, base, batches.get(i));
                    acknowledged.incrementAndGet();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      sender.start();
      Await.until("three more acknowledgements", () -> acknowledged.get() >= half + 3);
      server.destroyForcibly(); // SIGKILL
      assertThat(server.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(server.exitValue()).isEqualTo(137);
      server = start(pki, port, state);
      sender.join(); // every batch is resent until acknowledged (the test's @Timeout bounds it)
      assertThat(acknowledged.get()).isEqualTo(batches.size());
      // the apiserver may also resend batches that were stored but whose answer it never got
      for (int i = half - 2; i < half + 6; i++) {
        postUntilAcknowledged(client, base, batches.get(i));
      }
      String served =
          client
              .send(
                  HttpRequest.newBuilder(base.resolve("/usage")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      // every event exactly once: the ledger of the whole log, as collect makes it
      assertThat(served)
          .isEqualTo(
              dev.rbacsynth.ledger.LedgerJson.toJson(
                  UsageStoreTest.collected(
                      UsageStoreTest.events(UsageStoreTest.hkerma(6000)), "kubeadm")));
      // SIGTERM: a clean stop
      server.destroy();
      assertThat(server.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(Files.readString(tmp.resolve("server.log")))
          .contains("stopped; every batch in flight was stored and answered");
    } finally {
      server.destroyForcibly();
    }
  }
}
