package dev.rbacsynth.serve;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How {@code serve} runs. TLS files are null with {@code insecurePlaintext}; {@code clientCa} and
 * {@code tokenFile} are null when that way of authenticating is off (at least one is on).
 *
 * @param maxRequestBytes the largest POST body; larger ones get 413
 * @param maxInFlight POST /audit batches read and stored at once; more get 429
 * @param queue connections waiting for a worker; more get 503 from an overflow thread
 * @param retention how long a counted audit ID is remembered to drop resent batches
 */
public record ServeConfig(
    InetSocketAddress listen,
    Path stateDir,
    Path tlsCertFile,
    Path tlsPrivateKeyFile,
    Path clientCaFile,
    Path tokenFile,
    String cluster,
    boolean insecurePlaintext,
    long maxRequestBytes,
    int maxInFlight,
    int queue,
    Duration retention,
    Duration shutdownGrace) {

  public static final long DEFAULT_MAX_REQUEST_BYTES = 16L << 20;
  public static final int DEFAULT_MAX_IN_FLIGHT = 4;
  public static final int DEFAULT_QUEUE = 64;
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(1);

  /** Refuses a configuration that would be insecure or cannot work, with a one-line reason. */
  public void validate() {
    if (clientCaFile == null && tokenFile == null) {
      throw new IllegalArgumentException(
          "no authentication: give --client-ca-file (client certificates) and/or --token-file"
              + " (bearer tokens); audit events are sensitive");
    }
    if (insecurePlaintext) {
      if (listen.getAddress() == null || !listen.getAddress().isLoopbackAddress()) {
        throw new IllegalArgumentException(
            "--insecure-plaintext listens only on a loopback address (127.0.0.1 or [::1]), not "
                + listen.getHostString());
      }
      if (tokenFile == null) {
        throw new IllegalArgumentException(
            "--insecure-plaintext needs --token-file: without TLS there are no client certificates");
      }
      if (tlsCertFile != null || tlsPrivateKeyFile != null) {
        throw new IllegalArgumentException(
            "--insecure-plaintext and --tls-cert-file/--tls-private-key-file exclude each other");
      }
    } else if (tlsCertFile == null || tlsPrivateKeyFile == null) {
      throw new IllegalArgumentException(
          "--tls-cert-file and --tls-private-key-file are required (or --insecure-plaintext on"
              + " loopback)");
    }
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException("--max-request-bytes must be at least 1024");
    }
    if (maxInFlight < 1 || queue < 1) {
      throw new IllegalArgumentException("--max-in-flight and --queue must be at least 1");
    }
  }
}
