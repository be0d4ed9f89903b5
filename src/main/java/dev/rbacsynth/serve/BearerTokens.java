package dev.rbacsynth.serve;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Bearer tokens from {@code --token-file}: the apiserver's static token file format ({@code
 * token,user,uid,"group1,group2"}, only the first column is used) or one token a line; blank lines
 * and {@code #} comments are skipped. A presented token is compared with every known token in
 * constant time (SHA-256 digests compared with {@link MessageDigest#isEqual}), so neither the
 * length nor the content of a token leaks through timing.
 */
public final class BearerTokens {
  private final List<byte[]> digests;

  private BearerTokens(List<byte[]> digests) {
    this.digests = digests;
  }

  public static BearerTokens load(Path file) {
    List<byte[]> digests = new ArrayList<>();
    for (String line :
        InputFiles.read(file, StandardCharsets.UTF_8, "token file").lines().toList()) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      int comma = t.indexOf(',');
      String token = (comma < 0 ? t : t.substring(0, comma)).strip();
      if (!token.isEmpty()) {
        digests.add(sha256(token));
      }
    }
    if (digests.isEmpty()) {
      throw new IllegalArgumentException(file + ": no token in the token file");
    }
    return new BearerTokens(List.copyOf(digests));
  }

  /** True when the {@code Authorization} header value carries one of the tokens. */
  public boolean accepts(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] presented = sha256(authorization.substring(7).strip());
    boolean ok = false;
    for (byte[] d : digests) {
      ok |= MessageDigest.isEqual(d, presented); // no early exit
    }
    return ok;
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
