package dev.rbacsynth.serve;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The server with the {@link CountingCodec}, for measuring the transport and the store alone:
 * {@code CountingServer PORT STATE_DIR CERT KEY CA}.
 */
public final class CountingServer {
  private CountingServer() {}

  public static void main(String[] args) throws Exception {
    ServeConfig config =
        new ServeConfig(
            new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])),
            Path.of(args[1]),
            Path.of(args[2]),
            Path.of(args[3]),
            Path.of(args[4]),
            null,
            "bench",
            false,
            ServeConfig.DEFAULT_MAX_REQUEST_BYTES,
            ServeConfig.DEFAULT_MAX_IN_FLIGHT,
            ServeConfig.DEFAULT_QUEUE,
            ServeConfig.DEFAULT_RETENTION,
            Duration.ofSeconds(10));
    UsageStore store =
        new UsageStore(
            config.stateDir(), new CountingCodec(), config.retention(), Clock.systemUTC());
    AuditServer server = new AuditServer(config, store, null, System.err::println);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    server.start();
    System.err.println("listening on " + server.address());
    Thread.currentThread().join();
  }
}
