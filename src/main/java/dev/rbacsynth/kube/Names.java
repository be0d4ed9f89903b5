package dev.rbacsynth.kube;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Makes names and label values from arbitrary usernames (emails, {@code system:serviceaccount:...},
 * LDAP DNs, unicode) that the apiserver accepts. Long values are cut and end in a short hash of the
 * full value so they stay distinct and stable.
 */
public final class Names {
  public static final int MAX_NAME = 253;
  public static final int MAX_LABEL_VALUE = 63;
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern LABEL_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

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
    return value.isEmpty()
        || (value.length() <= MAX_LABEL_VALUE && LABEL_VALUE.matcher(value).matches());
  }

  /**
   * A label or annotation key: optional DNS-subdomain prefix and {@code /}, then a name of at most
   * 63.
   */
  public static boolean isValidQualifiedName(String key) {
    int slash = key.indexOf('/');
    String prefix = slash >= 0 ? key.substring(0, slash) : "";
    String name = slash >= 0 ? key.substring(slash + 1) : key;
    if (slash >= 0
        && (prefix.isEmpty()
            || prefix.length() > 253
            || !DNS_SUBDOMAIN.matcher(prefix).matches())) {
      return false;
    }
    return !name.isEmpty() && name.length() <= 63 && LABEL_NAME.matcher(name).matches();
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
