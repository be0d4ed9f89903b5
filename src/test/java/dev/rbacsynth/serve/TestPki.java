package dev.rbacsynth.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made for a test with the {@code openssl} command, as the README tells an operator
 * to: a CA, a server certificate for 127.0.0.1/localhost, a client certificate from the CA (the
 * apiserver's, in the webhook kubeconfig), and a client certificate from another CA (refused). Keys
 * come in the three PEM forms the server reads: PKCS#8 (server), traditional RSA (client) and
 * traditional EC (the rogue client).
 */
final class TestPki {
  final Path dir;
  final Path ca;
  final Path serverCert;
  final Path serverKey;
  final Path clientCert;
  final Path clientKey;
  final Path rogueCert;
  final Path rogueKey;

  TestPki(Path dir) throws IOException, InterruptedException {
    this.dir = dir;
    ca = dir.resolve("ca.crt");
    serverCert = dir.resolve("server.crt");
    serverKey = dir.resolve("server.key");
    clientCert = dir.resolve("client.crt");
    clientKey = dir.resolve("client.key");
    rogueCert = dir.resolve("rogue.crt");
    rogueKey = dir.resolve("rogue.key");
    Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=rbac-synth-test-ca");
    openssl(
        "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "server.key");
    openssl("req", "-new", "-key", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "2",
        "-extfile",
        "server.ext");
    openssl("genrsa", "-traditional", "-out", "client.key", "2048");
    openssl(
        "req", "-new", "-key", "client.key", "-out", "client.csr", "-subj", "/CN=kube-apiserver");
    openssl(
        "x509",
        "-req",
        "-in",
        "client.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "client.crt",
        "-days",
        "2");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "rogue-ca.key",
        "-out",
        "rogue-ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=rogue-ca");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "rogue.key");
    openssl("req", "-new", "-key", "rogue.key", "-out", "rogue.csr", "-subj", "/CN=kube-apiserver");
    openssl(
        "x509",
        "-req",
        "-in",
        "rogue.csr",
        "-CA",
        "rogue-ca.crt",
        "-CAkey",
        "rogue-ca.key",
        "-CAcreateserial",
        "-out",
        "rogue.crt",
        "-days",
        "2");
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.out").toFile())
            .start();
    if (p.waitFor() != 0) {
      throw new IOException(
          "openssl "
              + String.join(" ", args)
              + ": "
              + Files.readString(dir.resolve("openssl.out")));
    }
  }

  /** A client context trusting the test CA, presenting {@code cert}/{@code key} (none if null). */
  SSLContext client(Path cert, Path key) throws Exception {
    return client(cert, key, false);
  }

  /**
   * @param always present the certificate even when the server asks for other issuers (a client
   *     trying a certificate the server does not trust)
   */
  SSLContext client(Path cert, Path key, boolean always) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", Pem.certificates(ca).get(0));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (cert != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "client",
          Pem.privateKey(key),
          new char[0],
          Pem.certificates(cert).toArray(X509Certificate[]::new));
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    javax.net.ssl.KeyManager[] kms = kmf == null ? null : kmf.getKeyManagers();
    if (always && kms != null) {
      javax.net.ssl.X509ExtendedKeyManager km = (javax.net.ssl.X509ExtendedKeyManager) kms[0];
      kms =
          new javax.net.ssl.KeyManager[] {
            new javax.net.ssl.X509ExtendedKeyManager() {
              @Override
              public String[] getClientAliases(String type, java.security.Principal[] issuers) {
                return new String[] {"client"};
              }

              @Override
              public String chooseClientAlias(
                  String[] type, java.security.Principal[] issuers, java.net.Socket s) {
                return "client";
              }

              @Override
              public String chooseEngineClientAlias(
                  String[] type, java.security.Principal[] issuers, javax.net.ssl.SSLEngine e) {
                return "client";
              }

              @Override
              public String[] getServerAliases(String type, java.security.Principal[] issuers) {
                return null;
              }

              @Override
              public String chooseServerAlias(
                  String type, java.security.Principal[] issuers, java.net.Socket s) {
                return null;
              }

              @Override
              public X509Certificate[] getCertificateChain(String alias) {
                return km.getCertificateChain(alias);
              }

              @Override
              public java.security.PrivateKey getPrivateKey(String alias) {
                return km.getPrivateKey(alias);
              }
            }
          };
    }
    ctx.init(kms, tmf.getTrustManagers(), null);
    return ctx;
  }
}
