package dev.rbacsynth.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.cli.RbacSynth;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rbac-synth serve} with certificate, key, CA and token files that cannot be used: exit 2
 * and one line naming the file, before anything listens.
 */
class ServeFilesTest {
  @TempDir static Path tmp;
  static TestPki pki;

  @BeforeAll
  static void pki() throws Exception {
    pki = new TestPki(Files.createDirectory(tmp.resolve("pki")));
  }

  record Run(int exit, String err) {}

  static Run serve(Path cert, Path key, Path ca, Path tokens) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--state-dir",
                tmp.resolve("state").toString(),
                "--tls-cert-file",
                cert.toString(),
                "--tls-private-key-file",
                key.toString(),
                "--client-ca-file",
                ca.toString()));
    if (tokens != null) {
      args.addAll(List.of("--token-file", tokens.toString()));
    }
    StringWriter err = new StringWriter();
    int exit =
        RbacSynth.run(
            args.toArray(String[]::new),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err, true));
    return new Run(exit, err.toString());
  }

  @Test
  void aMissingFileIsNamedOnOneLine() {
    Path missing = tmp.resolve("nope.crt");
    for (Run r :
        List.of(
            serve(missing, pki.serverKey, pki.ca, null),
            serve(pki.serverCert, missing, pki.ca, null),
            serve(pki.serverCert, pki.serverKey, missing, null),
            serve(pki.serverCert, pki.serverKey, pki.ca, missing))) {
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).startsWith("error: " + missing + ": cannot read the ").hasLineCount(1);
      assertThat(r.err()).endsWith(": no such file or directory\n");
    }
  }

  @Test
  void filesThatHoldTheWrongThingAreNamed() throws Exception {
    Path empty = Files.writeString(tmp.resolve("empty.pem"), "");
    Path noTokens = Files.writeString(tmp.resolve("tokens.csv"), "# no token yet\n\n");
    Path encrypted =
        Files.writeString(
            tmp.resolve("encrypted.key"),
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n");
    assertThat(serve(empty, pki.serverKey, pki.ca, null).err())
        .isEqualTo("error: " + empty + ": no PEM CERTIFICATE block\n");
    assertThat(serve(pki.serverCert, encrypted, pki.ca, null).err())
        .isEqualTo(
            "error: "
                + encrypted
                + ": the private key is encrypted; decrypt it with `openssl pkey -in KEY -out KEY`\n");
    assertThat(serve(pki.serverCert, pki.serverKey, pki.ca, noTokens).err())
        .isEqualTo("error: " + noTokens + ": no token in the token file\n");
  }
}
