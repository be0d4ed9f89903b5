package dev.rbacsynth.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The server's TLS: its certificate and key from PEM files, TLS 1.2 and 1.3 only, and client
 * certificates checked against {@code --client-ca-file} (required when no bearer tokens are
 * accepted, optional otherwise, as the apiserver's own {@code --client-ca-file} is).
 */
public final class Tls {
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  private static final char[] NO_PASSWORD = new char[0];

  private final SSLContext context;
  private final boolean clientCertificates;

  private Tls(SSLContext context, boolean clientCertificates) {
    this.context = context;
    this.clientCertificates = clientCertificates;
  }

  /**
   * @param clientCa null when client certificates are not accepted
   */
  public static Tls load(Path certFile, Path keyFile, Path clientCa) {
    List<X509Certificate> chain = Pem.certificates(certFile);
    PrivateKey key = Pem.privateKey(keyFile);
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("server", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, NO_PASSWORD);
      TrustManagerFactory tmf = null;
      if (clientCa != null) {
        KeyStore cas = KeyStore.getInstance("PKCS12");
        cas.load(null, null);
        int i = 0;
        for (X509Certificate ca : Pem.certificates(clientCa)) {
          cas.setCertificateEntry("ca" + i++, ca);
        }
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(cas);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return new Tls(context, clientCa != null);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          keyFile + ": the key does not fit the certificate in " + certFile + ": " + e.getMessage(),
          e);
    }
  }

  public SSLContext context() {
    return context;
  }

  /** TLS 1.2 and later; a client certificate asked for when --client-ca-file is given. */
  SSLParameters parameters() {
    SSLParameters p = context.getDefaultSSLParameters();
    p.setProtocols(PROTOCOLS);
    if (clientCertificates) {
      // asked for, not required: probes (kubelet has no client certificate) reach /healthz and
      // /readyz, and every other endpoint answers 401 without a certificate or token. One that is
      // given must chain to --client-ca-file, or the handshake fails.
      p.setWantClientAuth(true);
    }
    return p;
  }
}
