package dev.rbacsynth.cli;

import dev.rbacsynth.serve.Serve;
import dev.rbacsynth.serve.ServeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rbac-synth serve}: the apiserver's audit webhook backend, keeping the usage ledger. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Receives the kube-apiserver's audit events over TLS (the audit webhook), keeps the usage of "
          + "every subject durably and serves it back as a usage ledger or as generated RBAC.",
      "",
      "The webhook backend sends EventList batches (audit.k8s.io/v1 or v1beta1); the usage is kept "
          + "in SQLite in --state-dir, each batch answered 200 only once it is on disk, resent batches "
          + "counted once. Endpoints:",
      "  POST /audit     an EventList (the apiserver's webhook)",
      "  GET  /usage     the usage ledger, readable by generate --usage;",
      "                  ?since=30d or an RFC 3339 time",
      "  GET  /rbac      what generate would write: ?user=, ?group= or",
      "                  ?serviceaccount=NS:NAME, and &exact=true, &since=;",
      "                  YAML, or JSON with Accept: application/json",
      "  GET  /metrics   Prometheus metrics (no subject names in labels)",
      "  GET  /healthz, /readyz",
      "                  probes (the only endpoints without authentication: a",
      "                  kubelet probe, which has no client certificate, gets in)",
      "Every other request needs a client certificate signed by --client-ca-file or a bearer token "
          + "from --token-file; without one it gets 401 before its body is read. SIGTERM finishes the "
          + "batches in flight and closes the store.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  rbac-synth serve --listen 0.0.0.0:8443 --state-dir /var/lib/rbac-synth \\",
      "    --tls-cert-file server.crt --tls-private-key-file server.key \\",
      "    --client-ca-file apiserver-ca.crt --token-file tokens.csv",
      "  rbac-synth serve --listen 127.0.0.1:8443 --state-dir ./state \\",
      "    --insecure-plaintext --token-file tokens.csv",
      "  curl --cacert ca.crt --cert client.crt --key client.key \\",
      "    'https://rbac-synth:8443/usage?since=30d' > usage.json",
      "  curl --cacert ca.crt -H \"Authorization: Bearer $TOKEN\" \\",
      "    'https://rbac-synth:8443/rbac?serviceaccount=shop:web' \\",
      "    | kubectl apply -f -",
      "",
      ExitCodes.SERVE_HELP
    })
public final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "0.0.0.0:8443",
      description = "Address to listen on (default: ${DEFAULT-VALUE}); port 0 picks a free port.")
  String listen;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      required = true,
      description = "Where the usage is kept (created with mode 0700; usage.db, SQLite).")
  Path stateDir;

  @Option(
      names = "--tls-cert-file",
      paramLabel = "FILE",
      description = "PEM server certificate, followed by its intermediates.")
  Path tlsCert;

  @Option(
      names = "--tls-private-key-file",
      paramLabel = "FILE",
      description = "PEM private key: PKCS#8, or traditional RSA or EC (unencrypted).")
  Path tlsKey;

  @Option(
      names = "--client-ca-file",
      paramLabel = "FILE",
      description =
          "PEM CA certificates: a client certificate signed by one of them authenticates (mutual TLS, "
              + "the client certificate of the apiserver's webhook kubeconfig). The TLS handshake asks "
              + "for one without requiring it, so that probes reach /healthz and /readyz; every "
              + "other endpoint answers 401 without a certificate or token.")
  Path clientCa;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "Bearer tokens, one a line, or the apiserver's static token CSV (token,user,uid,groups: "
              + "the first column is used); compared in constant time.")
  Path tokenFile;

  @Option(
      names = "--cluster",
      paramLabel = "NAME",
      defaultValue = "",
      description = "Label for where the events come from (the ledger keeps it per cluster).")
  String cluster;

  @Option(
      names = "--insecure-plaintext",
      description =
          "Plain HTTP instead of TLS, for a local test: only on a loopback address and with "
              + "--token-file.")
  boolean insecurePlaintext;

  @Option(
      names = "--max-request-bytes",
      paramLabel = "N",
      defaultValue = "" + ServeConfig.DEFAULT_MAX_REQUEST_BYTES,
      description =
          "Largest POST body (default: ${DEFAULT-VALUE}, 16 MiB: 400 events of 40 KB, far above "
              + "what the Metadata level sends); larger ones get 413.")
  long maxRequestBytes;

  @Option(
      names = "--max-in-flight",
      paramLabel = "N",
      defaultValue = "" + ServeConfig.DEFAULT_MAX_IN_FLIGHT,
      description =
          "Batches read and stored at once (default: ${DEFAULT-VALUE}); more get 429 and the apiserver "
              + "retries.")
  int maxInFlight;

  @Option(
      names = "--queue",
      paramLabel = "N",
      defaultValue = "" + ServeConfig.DEFAULT_QUEUE,
      description =
          "Connections waiting for a worker (default: ${DEFAULT-VALUE}); past it they get 503.")
  int queue;

  @Option(
      names = "--dedupe-retention",
      paramLabel = "DURATION",
      defaultValue = "1h",
      description =
          "How long an audit ID is remembered so that a resent batch is not counted twice (default: "
              + "${DEFAULT-VALUE}; the apiserver resends within seconds to minutes). Also how long a "
              + "request's final stage waits for its earlier stages from another batch before it is "
              + "counted on its own.")
  String retention;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    ServeConfig config =
        new ServeConfig(
            address(listen),
            stateDir,
            tlsCert,
            tlsKey,
            clientCa,
            tokenFile,
            cluster,
            insecurePlaintext,
            maxRequestBytes,
            maxInFlight,
            queue,
            duration(retention),
            Duration.ofSeconds(25));
    try {
      config.validate();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Serve serve;
    try {
      serve = Serve.start(config, err::println);
    } catch (IllegalArgumentException | IOException | UncheckedIOException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.USAGE_OR_INPUT;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  serve.close();
                  stopped.countDown();
                },
                "serve-shutdown"));
    err.println(
        "rbac-synth serve: listening on "
            + (config.insecurePlaintext() ? "http://" : "https://")
            + serve.address().getHostString()
            + ":"
            + serve.address().getPort()
            + ", state in "
            + stateDir);
    stopped.await();
    return ExitCodes.OK;
  }

  private InetSocketAddress address(String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw new ParameterException(spec.commandLine(), "--listen must be HOST:PORT, got " + value);
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(InetAddress.getByName(host.isEmpty() ? "0.0.0.0" : host), port);
    } catch (NumberFormatException e) {
      throw new ParameterException(spec.commandLine(), "--listen: bad port in " + value);
    } catch (UnknownHostException e) {
      throw new ParameterException(spec.commandLine(), "--listen: unknown host " + host);
    }
  }

  private Duration duration(String value) {
    Matcher m = Pattern.compile("(\\d{1,9})([smhd])").matcher(value);
    if (!m.matches()) {
      throw new ParameterException(
          spec.commandLine(), "--dedupe-retention: expected a duration such as 30m, 1h or 2d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
