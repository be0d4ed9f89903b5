package dev.rbacsynth.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.rbacsynth.ledger.LedgerJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The webhook server: the JDK's own HTTP(S) server (no dependency), TLS 1.2+ with client
 * certificates and/or bearer tokens on every endpoint but {@code /healthz} and {@code /readyz}.
 *
 * <p>Limits: {@code maxInFlight} batches are read and stored at once (429 beyond); the workers'
 * queue holds {@code queue} connections, beyond which an overflow thread answers 503 without
 * reading the body; a body is read through a counting cap (413 past {@code maxRequestBytes}, also
 * when Content-Length was absent or wrong). Unauthenticated requests are answered 401 without using
 * their body: a body of up to 1 MiB is read and dropped first, so that the client's connection
 * stays open (as after a 404 or 405); a larger one is not waited for, and the answer closes the
 * connection ({@code Connection: close}). Nothing an event contains is ever logged.
 */
public final class AuditServer implements AutoCloseable {
  static {
    // The JDK server does not drain unread request bodies (drain() does, where it is worth it),
    // and slow clients cannot hold a worker forever. Read once, when the JDK's server class loads.
    System.setProperty("sun.net.httpserver.drainAmount", "0");
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", "60");
    }
    if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
      System.setProperty("sun.net.httpserver.maxRspTime", "60");
    }
  }

  private final ServeConfig config;
  private final UsageStore store;
  private final Consumer<String> log;
  private final BearerTokens tokens;
  private final boolean certificates;
  private final HttpServer server;
  private final ThreadPoolExecutor workers;
  private final ThreadPoolExecutor overflow;
  private final Semaphore inFlight;
  private final ServeMetrics metrics = new ServeMetrics();
  private final RbacView rbac;
  private volatile boolean stopping;

  /** What /rbac answers with; null when this build has no RBAC view. */
  public interface RbacView {
    /**
     * The RBAC for the query (user=, group=, serviceaccount=, exact=, since=) as YAML or JSON.
     *
     * @throws IllegalArgumentException a bad query (400)
     * @throws NoUsage no usage recorded for the subject in the window (404)
     */
    Rendered render(Map<String, String> query, boolean json, UsageStore store) throws Exception;

    /**
     * @param body the manifests
     * @param observation what they are based on, for the {@code X-Rbac-Synth-Observation} header
     */
    record Rendered(byte[] body, String observation) {}

    /** The subject has no usage in the store (in the window asked for). */
    final class NoUsage extends Exception {
      private static final long serialVersionUID = 1L;

      public NoUsage(String message) {
        super(message, null, false, false);
      }
    }
  }

  public AuditServer(ServeConfig config, UsageStore store, RbacView rbac, Consumer<String> log)
      throws IOException {
    config.validate();
    this.config = config;
    this.store = store;
    this.rbac = rbac;
    this.log = log;
    this.tokens = config.tokenFile() == null ? null : BearerTokens.load(config.tokenFile());
    this.certificates = config.clientCaFile() != null && !config.insecurePlaintext();
    this.inFlight = new Semaphore(config.maxInFlight());
    this.overflow =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(config.queue()),
            daemon("serve-overflow"),
            new ThreadPoolExecutor.AbortPolicy()); // past both queues the connection is closed
    int threads = config.maxInFlight() + 2; // two more than batches: /metrics and probes answer
    this.workers =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(config.queue()),
            daemon("serve-worker"),
            (task, pool) -> {
              if (pool.isShutdown()) {
                throw new RejectedExecutionException("stopping");
              }
              overflow.execute(() -> Overflow.run(task));
            });
    if (config.insecurePlaintext()) {
      server = HttpServer.create(config.listen(), 128);
    } else {
      Tls tls = Tls.load(config.tlsCertFile(), config.tlsPrivateKeyFile(), config.clientCaFile());
      HttpsServer https = HttpsServer.create(config.listen(), 128);
      https.setHttpsConfigurator(
          new HttpsConfigurator(tls.context()) {
            @Override
            public void configure(HttpsParameters params) {
              params.setSSLParameters(tls.parameters());
            }
          });
      server = https;
    }
    server.setExecutor(workers);
    server.createContext("/", this::handle);
  }

  /** Marks the thread that answers overflowing connections with 503. */
  private static final class Overflow {
    static final ThreadLocal<Boolean> ACTIVE = ThreadLocal.withInitial(() -> false);

    static void run(Runnable task) {
      ACTIVE.set(true);
      try {
        task.run();
      } finally {
        ACTIVE.set(false);
      }
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  public void start() {
    server.start();
  }

  /** The bound address (the port, when --listen asked for port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (path.equals("/healthz")) {
        text(ex, 200, "ok");
        return;
      }
      if (path.equals("/readyz")) {
        boolean ready = !stopping && store.writable();
        text(ex, ready ? 200 : 503, ready ? "ok" : "not ready");
        return;
      }
      if (!authenticated(ex)) {
        metrics.requestRejected("unauthenticated");
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        text(
            ex,
            401,
            "Unauthorized",
            drain(ex, Math.min(config.maxRequestBytes(), UNAUTHENTICATED_DRAIN)));
        return;
      }
      if (Overflow.ACTIVE.get()) {
        metrics.requestRejected("overloaded");
        ex.getResponseHeaders().set("Retry-After", "1");
        text(ex, 503, "overloaded: too many connections waiting");
        return;
      }
      switch (path) {
        case "/audit" -> only("POST", ex, this::audit);
        case "/usage" -> only("GET", ex, this::usage);
        case "/rbac" -> only("GET", ex, this::rbac);
        case "/metrics" -> only("GET", ex, this::metrics);
        default ->
            text(
                ex,
                404,
                "not found: POST /audit, GET /usage, /rbac, /metrics, /healthz, /readyz",
                drain(ex, config.maxRequestBytes()));
      }
    } catch (IOException | RuntimeException e) {
      // the client went away or the exchange broke; never a stack trace with request data
      log.accept("rbac-synth serve: request failed: " + e.getClass().getSimpleName());
    }
  }

  private boolean authenticated(HttpExchange ex) {
    if (certificates && ex instanceof HttpsExchange https) {
      try {
        // the handshake already checked the chain against --client-ca-file
        if (https.getSSLSession().getPeerCertificates().length > 0) {
          return true;
        }
      } catch (SSLPeerUnverifiedException e) {
        // no client certificate: a token may still do
      }
    }
    return tokens != null && tokens.accepts(ex.getRequestHeaders().getFirst("Authorization"));
  }

  private void audit(HttpExchange ex) throws IOException {
    long start = System.nanoTime();
    if (stopping) {
      metrics.requestRejected("shutting_down");
      ex.getResponseHeaders().set("Retry-After", "1");
      // read first, as for a 429: a client still sending its batch sees the 503, not a broken pipe
      text(ex, 503, "shutting down", drain(ex, config.maxRequestBytes()));
      return;
    }
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        declared = -1;
      }
      if (declared > config.maxRequestBytes()) {
        metrics.requestRejected("too_large");
        text(ex, 413, "request body larger than --max-request-bytes " + config.maxRequestBytes());
        discard(ex.getRequestBody());
        return;
      }
    }
    if (!inFlight.tryAcquire()) {
      metrics.requestRejected("overloaded");
      ex.getResponseHeaders().set("Retry-After", "1");
      // the body is read and dropped first (it holds no place): answered before the client had
      // sent it, the closed connection broke its send and it never saw the 429 (a flaky test)
      text(ex, 429, "too many batches in flight", drain(ex, config.maxRequestBytes()));
      return;
    }
    try {
      EventListBody.Batch batch;
      InputStream body = new BoundedInputStream(ex.getRequestBody(), config.maxRequestBytes());
      try {
        batch = EventListBody.read(body);
      } catch (BoundedInputStream.TooLarge e) {
        metrics.requestRejected("too_large");
        text(ex, 413, "request body larger than --max-request-bytes " + config.maxRequestBytes());
        discard(ex.getRequestBody());
        return;
      } catch (EventListBody.Malformed e) {
        metrics.requestRejected("malformed");
        metrics.batch("rejected");
        discard(body);
        text(ex, 400, e.getMessage());
        return;
      }
      metrics.eventsReceived.add(batch.events().size() + batch.badItems());
      UsageStore.Applied applied;
      try {
        applied = store.apply(batch.events(), batch.badItems(), config.cluster());
      } catch (SQLException | RuntimeException e) {
        metrics.requestRejected("store_unavailable");
        metrics.eventsRejected("store_unavailable", batch.events().size());
        metrics.batch("rejected");
        log.accept(
            "rbac-synth serve: the store cannot write ("
                + e.getClass().getSimpleName()
                + "): "
                + oneLine(e.getMessage())
                + "; answered 503");
        ex.getResponseHeaders().set("Retry-After", "5");
        text(ex, 503, "the store cannot write; retry later");
        return;
      }
      metrics.eventsApplied.add(applied.absorbed());
      metrics.eventsDuplicate.add(applied.duplicates());
      if (batch.badItems() > 0) {
        metrics.eventsRejected("invalid_event", batch.badItems());
      }
      metrics.batch("stored");
      ex.sendResponseHeaders(200, -1);
    } finally {
      inFlight.release();
      metrics.auditLatency(System.nanoTime() - start);
    }
  }

  /**
   * Reads and drops what is left of an authenticated client's body (bounded: the cap, or four times
   * it after a 413), so that closing the connection does not reset it before the client has read
   * the answer.
   */
  private void discard(InputStream in) {
    byte[] buf = new byte[16384];
    long left = 4 * config.maxRequestBytes();
    try {
      for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; ) {
        left -= n;
      }
    } catch (IOException e) {
      // over the cap or gone: the connection is closed after the answer
    }
  }

  /** SQLite's messages name files and states, not data; still one line. */
  private static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ');
  }

  private void usage(HttpExchange ex) throws IOException {
    Map<String, String> query = query(ex);
    Instant since;
    try {
      since = Serve.since(query.getOrDefault("since", ""));
    } catch (IllegalArgumentException e) {
      text(ex, 400, e.getMessage());
      return;
    }
    byte[] ledger;
    try {
      ledger = LedgerJson.toBytes(store.ledger(since));
    } catch (SQLException e) {
      text(ex, 503, "the store cannot be read; retry later");
      return;
    }
    send(ex, 200, "application/json", ledger);
  }

  private void rbac(HttpExchange ex) throws IOException {
    if (rbac == null) {
      text(ex, 501, "/rbac is not available in this build");
      return;
    }
    String accept = ex.getRequestHeaders().getFirst("Accept");
    boolean json = accept != null && accept.contains("application/json");
    RbacView.Rendered rendered;
    try {
      rendered = rbac.render(query(ex), json, store);
    } catch (IllegalArgumentException e) {
      text(ex, 400, e.getMessage());
      return;
    } catch (RbacView.NoUsage e) {
      // as generate's exit 3: an empty List would read as "needs nothing" (or hide a typo)
      text(ex, 404, e.getMessage());
      return;
    } catch (Exception e) {
      text(ex, 503, "cannot read the usage; retry later");
      return;
    }
    ex.getResponseHeaders().set("X-Rbac-Synth-Observation", rendered.observation());
    send(ex, 200, json ? "application/json" : "application/yaml", rendered.body());
  }

  private void metrics(HttpExchange ex) throws IOException {
    UsageStore.Figures figures;
    try {
      figures = store.figures();
    } catch (SQLException e) {
      figures = new UsageStore.Figures(0, 0, 0, 0);
    }
    String body = metrics.render(figures, config.maxInFlight() - inFlight.availablePermits());
    send(
        ex, 200, "text/plain; version=0.0.4; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  static Map<String, String> query(HttpExchange ex) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&", -1)) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  /**
   * The handler when the request uses the one method its path takes, else 405 naming it (after the
   * body is drained, so that the connection serves the client's next request).
   */
  private void only(String allowed, HttpExchange ex, HttpHandler handler) throws IOException {
    if (ex.getRequestMethod().equals(allowed)) {
      handler.handle(ex);
    } else {
      ex.getResponseHeaders().set("Allow", allowed);
      text(ex, 405, "method not allowed; use " + allowed, drain(ex, config.maxRequestBytes()));
    }
  }

  /**
   * How much of an unauthenticated client's body is read (and dropped) so that its connection can
   * stay open after the 401: a webhook batch with a wrong token is usually smaller. A larger one is
   * not read; its connection is closed.
   */
  static final long UNAUTHENTICATED_DRAIN = 1 << 20;

  /**
   * Reads and drops the request body of a request that is refused before its body is used (401,
   * 404, 405, 429), when it declares at most {@code limit} bytes (or none, chunked) and sends no
   * more. True when the whole body was read: the connection is then left open for the client's next
   * request, as a pooled client (the apiserver's webhook client, kubectl's) expects. False when it
   * was larger, or broke: the answer then says {@code Connection: close}. The JDK server's own
   * timeouts ({@code maxReqTime}) bound a client that sends slowly.
   */
  private static boolean drain(HttpExchange ex, long limit) {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.strip()) > limit) {
          return false; // not waited for: answered at once, and the connection closed
        }
      } catch (NumberFormatException e) {
        return false;
      }
    }
    byte[] buf = new byte[16384];
    long left = limit + 1;
    try (InputStream in = ex.getRequestBody()) {
      for (int n; (n = in.read(buf, 0, (int) Math.min(buf.length, left))) >= 0; ) {
        left -= n;
        if (left <= 0) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void text(HttpExchange ex, int status, String message) throws IOException {
    text(ex, status, message, false);
  }

  /**
   * @param bodyRead the request body was read to its end, so the connection may serve the next
   *     request; otherwise an error answer closes it
   */
  private static void text(HttpExchange ex, int status, String message, boolean bodyRead)
      throws IOException {
    send(
        ex,
        status,
        "text/plain; charset=utf-8",
        (message + "\n").getBytes(StandardCharsets.UTF_8),
        bodyRead);
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    send(ex, status, type, body, false);
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body, boolean bodyRead)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (status >= 400 && !bodyRead) {
      // the body may be left unread (413, 503, a 401, 405 or 429 over the drain limit): the
      // connection is closed after this answer, and the client must not send its next request on it
      ex.getResponseHeaders().set("Connection", "close");
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      // flushed, not closed: the exchange is closed by handle(), after a rejected body was dropped
      OutputStream out = ex.getResponseBody();
      out.write(body);
      out.flush();
    }
  }

  /**
   * Stops taking batches (503), waits up to the grace period for those in flight to be stored and
   * answered, stops the listener and closes the store (a WAL checkpoint).
   */
  @Override
  public void close() {
    stopping = true;
    boolean drained = false;
    try {
      drained =
          inFlight.tryAcquire(
              config.maxInFlight(), config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.stop(0);
    workers.shutdown();
    overflow.shutdown();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      store.close();
    } catch (SQLException e) {
      log.accept("rbac-synth serve: closing the store: " + oneLine(e.getMessage()));
    }
    log.accept(
        "rbac-synth serve: stopped"
            + (drained
                ? "; every batch in flight was stored and answered"
                : "; grace period over"));
  }
}
