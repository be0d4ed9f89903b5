package dev.rbacsynth.serve;

import dev.rbacsynth.ledger.TimeBound;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;

/** A running {@code serve}: the store opened, the server listening. {@link #close} stops both. */
public final class Serve implements AutoCloseable {
  private final AuditServer server;

  private Serve(AuditServer server) {
    this.server = server;
  }

  /** Starts with the generator behind /rbac. */
  public static Serve start(ServeConfig config, Consumer<String> log) throws IOException {
    return start(config, new RbacEndpoint(), log);
  }

  static Serve start(ServeConfig config, AuditServer.RbacView rbac, Consumer<String> log)
      throws IOException {
    config.validate();
    UsageStore store;
    try {
      store = new UsageStore(config.stateDir(), config.retention(), Clock.systemUTC());
    } catch (SQLException e) {
      throw new UncheckedIOException(
          new IOException(
              config.stateDir() + ": cannot open the state database: " + e.getMessage(), e));
    }
    AuditServer server;
    try {
      server = new AuditServer(config, store, rbac, log);
      server.start();
    } catch (IOException | RuntimeException e) {
      try {
        store.close();
      } catch (SQLException ignored) {
        // the first error is the one to report
      }
      if (e instanceof BindException) {
        throw new IOException(config.listen() + ": " + e.getMessage(), e);
      }
      throw e;
    }
    return new Serve(server);
  }

  public InetSocketAddress address() {
    return server.address();
  }

  @Override
  public void close() {
    server.close();
  }

  /**
   * {@code ?since=}, read as {@code --since} is ({@link TimeBound}); null for none. The store
   * counts per UTC day, so the ledger rounds the start out to its UTC day.
   */
  static Instant since(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return TimeBound.parse(value, Clock.systemUTC().instant());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "since: " + e.getMessage().replaceAll("[^\\x20-\\x7e]", "?"), e);
    }
  }
}
