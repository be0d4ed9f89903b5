package dev.rbacsynth.kube;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Makes names and label values from arbitrary usernames (emails, {@code system:serviceaccount:...},
 * LDAP DNs, unicode) that the apiserver accepts. Long values are cut and end in a short hash of the
 * full value so they stay distinct and stable.
 */
public final class Names {
  public static final int MAX_NAME = 253;
  public static final int MAX_LABEL_VALUE = 63;

  private Names() {}

  /**
   * An RBAC object name: lowercase {@code [a-z0-9.:-]}, other characters become {@code -}, at most
   * 253.
   */
  public static String objectName(String raw) {
    String s =
        replaceDisallowed(raw.toLowerCase(Locale.ROOT), "abcdefghijklmnopqrstuvwxyz0123456789.:-");
    s = trimTo(s, MAX_NAME, raw);
    if (s.isEmpty() || s.equals(".") || s.equals("..")) {
      return "unnamed-" + hash(raw);
    }
    return s;
  }

  /**
   * A label value: at most 63 of {@code [a-z0-9_.-]}, starting and ending alphanumeric; may be
   * empty.
   */
  public static String labelValue(String raw) {
    String s =
        replaceDisallowed(raw.toLowerCase(Locale.ROOT), "abcdefghijklmnopqrstuvwxyz0123456789_.-");
    s = stripNonAlnumEnds(s);
    if (s.length() > MAX_LABEL_VALUE) {
      s = stripNonAlnumEnds(s.substring(0, MAX_LABEL_VALUE - 9)) + "-" + hash(raw);
    }
    return s;
  }

  public static boolean isValidLabelValue(String value) {
    return value.isEmpty() || (value.length() <= MAX_LABEL_VALUE && isQualifiedPart(value));
  }

  /**
   * A label or annotation key: optional DNS-subdomain prefix and {@code /}, then a name of at most
   * 63.
   */
  public static boolean isValidQualifiedName(String key) {
    int slash = key.indexOf('/');
    String prefix = slash >= 0 ? key.substring(0, slash) : "";
    String name = slash >= 0 ? key.substring(slash + 1) : key;
    if (slash >= 0 && (prefix.isEmpty() || prefix.length() > 253 || !isDnsSubdomain(prefix))) {
      return false;
    }
    return !name.isEmpty() && name.length() <= 63 && isQualifiedPart(name);
  }

  // The syntax checks of the apiserver's validation, each a regular expression there, written as
  // loops here: compiling the expressions cost every small run more than all its matching.

  /**
   * A label value or the name part of a qualified name: {@code
   * ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]} (lengths are checked by the callers).
   */
  private static boolean isQualifiedPart(String s) {
    if (s.isEmpty() || !isAsciiAlnum(s.charAt(0)) || !isAsciiAlnum(s.charAt(s.length() - 1))) {
      return false;
    }
    for (int i = 1; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (!isAsciiAlnum(c) && c != '-' && c != '_' && c != '.') {
        return false;
      }
    }
    return true;
  }

  /** An RFC 1123 label: {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?} (no length limit here). */
  public static boolean isDnsLabel(String s) {
    return isDnsLabel(s, 0, s.length());
  }

  private static boolean isDnsLabel(String s, int from, int to) {
    if (from >= to || !isLowerAlnum(s.charAt(from)) || !isLowerAlnum(s.charAt(to - 1))) {
      return false;
    }
    for (int i = from + 1; i < to - 1; i++) {
      char c = s.charAt(i);
      if (!isLowerAlnum(c) && c != '-') {
        return false;
      }
    }
    return true;
  }

  /**
   * An RFC 1123 subdomain: DNS labels joined by single dots, {@code
   * [a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*} (no length limit here).
   */
  public static boolean isDnsSubdomain(String s) {
    int from = 0;
    while (true) {
      int dot = s.indexOf('.', from);
      int to = dot < 0 ? s.length() : dot;
      if (!isDnsLabel(s, from, to)) {
        return false;
      }
      if (dot < 0) {
        return true;
      }
      from = dot + 1;
    }
  }

  private static boolean isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  private static boolean isAsciiAlnum(char c) {
    return isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
  }

  private static String replaceDisallowed(String s, String allowed) {
    StringBuilder out = new StringBuilder(s.length());
    boolean lastDash = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (allowed.indexOf(c) >= 0) {
        out.append(c);
        lastDash = c == '-';
      } else if (!lastDash) {
        out.append('-');
        lastDash = true;
      }
    }
    return out.toString();
  }

  private static String trimTo(String s, int max, String raw) {
    return s.length() <= max ? s : s.substring(0, max - 9) + "-" + hash(raw);
  }

  private static String stripNonAlnumEnds(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && !Character.isLetterOrDigit(s.charAt(from))) {
      from++;
    }
    while (to > from && !Character.isLetterOrDigit(s.charAt(to - 1))) {
      to--;
    }
    return s.substring(from, to);
  }

  static String hash(String raw) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
