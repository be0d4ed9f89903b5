package dev.rbacsynth.serve;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files as the apiserver and {@code openssl} write them: certificates, and a private key as
 * PKCS#8 ({@code PRIVATE KEY}), traditional RSA ({@code RSA PRIVATE KEY}, PKCS#1) or traditional EC
 * ({@code EC PRIVATE KEY}, SEC 1). Encrypted keys are refused with a message saying how to decrypt
 * them.
 */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)\\s*-----END \\1-----", Pattern.DOTALL);

  private static final byte[] RSA_OID = {
    0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01
  };
  private static final byte[] EC_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private Pem() {}

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(Path file, String what) {
    // Latin-1 reads any bytes: a file that is not PEM (DER, say) is told apart by its missing
    // blocks
    String text = InputFiles.read(file, StandardCharsets.ISO_8859_1, what);
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String body = m.group(2);
      if (body.contains("Proc-Type:") || body.contains("DEK-Info:")) {
        throw encrypted(file);
      }
      try {
        out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            file + ": invalid base64 in a " + m.group(1) + " block", e);
      }
    }
    return out;
  }

  private static IllegalArgumentException encrypted(Path file) {
    return new IllegalArgumentException(
        file + ": the private key is encrypted; decrypt it with `openssl pkey -in KEY -out KEY`");
  }

  /** Every certificate in the file, in order (a server certificate first, then its chain). */
  public static List<X509Certificate> certificates(Path file) {
    List<X509Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(file, "certificates")) {
        if (b.type().equals("CERTIFICATE")) {
          certs.add(
              (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(file + ": invalid certificate: " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(file + ": no PEM CERTIFICATE block");
    }
    return certs;
  }

  /** The first private key in the file. */
  public static PrivateKey privateKey(Path file) {
    for (Block b : blocks(file, "private key")) {
      try {
        switch (b.type()) {
          case "PRIVATE KEY":
            return pkcs8(b.der());
          case "RSA PRIVATE KEY":
            return KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(wrap(sequence(RSA_OID, NULL), b.der())));
          case "EC PRIVATE KEY":
            return KeyFactory.getInstance("EC")
                .generatePrivate(
                    new PKCS8EncodedKeySpec(wrap(sequence(EC_OID, ecCurve(b.der())), b.der())));
          case "ENCRYPTED PRIVATE KEY":
            throw encrypted(file);
          default:
            // certificates or parameters next to the key: skip
        }
      } catch (GeneralSecurityException | IndexOutOfBoundsException e) {
        throw new IllegalArgumentException(
            file + ": invalid " + b.type() + ": " + e.getMessage(), e);
      }
    }
    throw new IllegalArgumentException(
        file + ": no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block)");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException("not an RSA, EC or Ed25519 PKCS#8 key");
  }

  private static final byte[] NULL = {0x05, 0x00};

  /**
   * The named curve of a SEC 1 ECPrivateKey: {@code SEQUENCE { version, privateKey OCTET STRING,
   * [0] parameters OID, [1] publicKey }}.
   */
  private static byte[] ecCurve(byte[] sec1) {
    int[] pos = {0};
    expect(sec1, pos, 0x30);
    length(sec1, pos);
    skip(sec1, pos); // version
    skip(sec1, pos); // private key
    if ((sec1[pos[0]] & 0xff) != 0xa0) {
      throw new IndexOutOfBoundsException("EC key without named-curve parameters");
    }
    pos[0]++;
    length(sec1, pos);
    int start = pos[0];
    expect(sec1, pos, 0x06);
    int len = length(sec1, pos);
    byte[] oid = new byte[pos[0] + len - start];
    System.arraycopy(sec1, start, oid, 0, oid.length);
    return oid;
  }

  private static void expect(byte[] der, int[] pos, int tag) {
    if ((der[pos[0]] & 0xff) != tag) {
      throw new IndexOutOfBoundsException("unexpected DER tag");
    }
    pos[0]++;
  }

  private static int length(byte[] der, int[] pos) {
    int first = der[pos[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int n = first & 0x7f;
    int len = 0;
    for (int i = 0; i < n; i++) {
      len = (len << 8) | (der[pos[0]++] & 0xff);
    }
    return len;
  }

  private static void skip(byte[] der, int[] pos) {
    pos[0]++;
    int len = length(der, pos);
    pos[0] += len;
  }

  /** PKCS#8 PrivateKeyInfo: {@code SEQUENCE { INTEGER 0, algorithm, OCTET STRING key }}. */
  private static byte[] wrap(byte[] algorithm, byte[] key) {
    return tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, key)));
  }

  private static byte[] sequence(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int len = value.length;
    if (len < 0x80) {
      out.write(len);
    } else {
      int bytes = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((len >>> (8 * i)) & 0xff);
      }
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
