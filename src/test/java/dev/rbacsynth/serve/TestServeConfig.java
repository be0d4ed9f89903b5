package dev.rbacsynth.serve;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * A {@link ServeConfig} for tests, so that each test names only what it checks: by default a free
 * port on 127.0.0.1, no TLS and no authentication, no cluster label, the default request size, one
 * batch in flight and one queued connection, an hour's retention and one second's shutdown grace.
 */
final class TestServeConfig {
  private String host = "127.0.0.1";
  private final Path stateDir;
  private Path tlsCertFile;
  private Path tlsPrivateKeyFile;
  private Path clientCaFile;
  private Path tokenFile;
  private String cluster = "";
  private boolean insecurePlaintext;
  private long maxRequestBytes = ServeConfig.DEFAULT_MAX_REQUEST_BYTES;
  private int maxInFlight = 1;
  private int queue = 1;
  private Duration shutdownGrace = Duration.ofSeconds(1);

  private TestServeConfig(Path stateDir) {
    this.stateDir = stateDir;
  }

  static TestServeConfig in(Path stateDir) {
    return new TestServeConfig(stateDir);
  }

  /** The server's certificate and key and the client CA, all from the test PKI. */
  TestServeConfig tls(TestPki pki) {
    tlsCertFile = pki.serverCert;
    tlsPrivateKeyFile = pki.serverKey;
    clientCaFile = pki.ca;
    return this;
  }

  TestServeConfig clientCa(Path ca) {
    clientCaFile = ca;
    return this;
  }

  TestServeConfig tokens(Path file) {
    tokenFile = file;
    return this;
  }

  TestServeConfig host(String address) {
    host = address;
    return this;
  }

  TestServeConfig cluster(String label) {
    cluster = label;
    return this;
  }

  TestServeConfig plaintext() {
    insecurePlaintext = true;
    return this;
  }

  TestServeConfig maxRequestBytes(long bytes) {
    maxRequestBytes = bytes;
    return this;
  }

  TestServeConfig limits(int inFlight, int queued) {
    maxInFlight = inFlight;
    queue = queued;
    return this;
  }

  TestServeConfig shutdownGrace(Duration grace) {
    shutdownGrace = grace;
    return this;
  }

  ServeConfig build() {
    return new ServeConfig(
        new InetSocketAddress(host, 0),
        stateDir,
        tlsCertFile,
        tlsPrivateKeyFile,
        clientCaFile,
        tokenFile,
        cluster,
        insecurePlaintext,
        maxRequestBytes,
        maxInFlight,
        queue,
        ServeConfig.DEFAULT_RETENTION,
        shutdownGrace);
  }

  /** A store in the configuration's state directory, on the system clock. */
  static UsageStore store(ServeConfig config) throws SQLException {
    return new UsageStore(config.stateDir(), config.retention(), Clock.systemUTC());
  }

  /** The server on that store, started, logging nowhere. */
  static AuditServer start(ServeConfig config, UsageStore store, AuditServer.RbacView rbac)
      throws IOException {
    AuditServer server = new AuditServer(config, store, rbac, m -> {});
    server.start();
    return server;
  }
}
