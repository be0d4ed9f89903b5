package dev.rbacsynth.attributes;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The apiserver's RequestInfo algorithm (k8s.io/apiserver pkg/endpoints/request/requestinfo.go)
 * applied to a logged {@code requestURI}: which URLs are resource requests, and their group,
 * namespace, resource, name and subresource. The verb comes from the event (the apiserver already
 * derived it from the HTTP method).
 */
public record RequestInfo(
    boolean resourceRequest,
    String path,
    String apiGroup,
    String namespace,
    String resource,
    String name,
    String subresource,
    String verbFromPath,
    String query) {

  public static RequestInfo parse(String requestURI) {
    String uri = requestURI == null ? "" : requestURI;
    int q = uri.indexOf('?');
    String rawPath = q >= 0 ? uri.substring(0, q) : uri;
    String query = q >= 0 ? uri.substring(q + 1) : "";
    int hash = query.indexOf('#');
    if (hash >= 0) {
      query = query.substring(0, hash);
    }
    String path = unescapePath(rawPath);
    List<String> parts = segments(path);
    RequestInfo nonResource = new RequestInfo(false, path, "", "", "", "", "", "", query);
    if (parts.size() < 3 || !(parts.get(0).equals("api") || parts.get(0).equals("apis"))) {
      return nonResource;
    }
    String prefix = parts.get(0);
    int i = 1;
    String group = "";
    if (prefix.equals("apis")) {
      if (parts.size() - i < 3) {
        return nonResource; // /apis/group/version is discovery
      }
      group = parts.get(i++);
    }
    i++; // version
    String verbFromPath = "";
    if (i < parts.size() && (parts.get(i).equals("proxy") || parts.get(i).equals("watch"))) {
      if (parts.size() - i < 2) {
        return nonResource; // the apiserver answers 500 without auditing a resource request
      }
      verbFromPath = parts.get(i++);
    }
    String namespace = "";
    if (i < parts.size() && parts.get(i).equals("namespaces")) {
      if (parts.size() - i > 1) {
        namespace = parts.get(i + 1);
        if (parts.size() - i > 2
            && !parts.get(i + 2).equals("status")
            && !parts.get(i + 2).equals("finalize")) {
          i += 2;
        }
      }
    }
    List<String> rest = parts.subList(Math.min(i, parts.size()), parts.size());
    String resource = rest.size() >= 1 ? rest.get(0) : "";
    String name = rest.size() >= 2 ? rest.get(1) : "";
    String subresource = rest.size() >= 3 && !verbFromPath.equals("proxy") ? rest.get(2) : "";
    return new RequestInfo(
        true, path, group, namespace, resource, name, subresource, verbFromPath, query);
  }

  /**
   * The name a list or watch is restricted to through {@code fieldSelector=metadata.name=X} (or
   * {@code ==}), which RequestInfo copies into the authorized name; "" when there is none or the
   * selector does not parse ({@link FieldSelectors}: apimachinery's parser, values unescaped).
   */
  public String fieldSelectorName() {
    if (!query.contains("fieldSelector") && query.indexOf('%') < 0) {
      return ""; // no key that is or decodes to fieldSelector (most requests: no split needed)
    }
    for (String param : query.split("&", -1)) {
      int eq = param.indexOf('=');
      String key = decode(eq < 0 ? param : param.substring(0, eq));
      if (!key.equals("fieldSelector")) {
        continue;
      }
      // the first fieldSelector parameter is the one ListOptions decodes
      String selector = eq < 0 ? "" : decode(param.substring(eq + 1));
      return FieldSelectors.exactMatch(selector, "metadata.name")
          .filter(RequestInfo::isPathSegmentName)
          .orElse("");
    }
    return "";
  }

  /** True when the query has {@code dryRun} set (authorization ignores it, the report tags it). */
  public boolean dryRun() {
    if (!query.contains("dryRun=")) {
      return false;
    }
    for (String param : query.split("&", -1)) {
      if (param.startsWith("dryRun=") && param.length() > "dryRun=".length()) {
        return true;
      }
    }
    return false;
  }

  static boolean isPathSegmentName(String value) {
    return !value.isEmpty()
        && !value.equals(".")
        && !value.equals("..")
        && value.indexOf('/') < 0
        && value.indexOf('%') < 0;
  }

  /** The segments between slashes, leading and trailing slashes left out ("a//b": a, "", b). */
  private static List<String> segments(String path) {
    int from = trimmedStart(path);
    int to = trimmedEnd(path, from);
    List<String> parts = new ArrayList<>(8);
    while (from < to) {
      int slash = path.indexOf('/', from);
      int end = slash < 0 || slash > to ? to : slash;
      parts.add(path.substring(from, end));
      from = end + 1; // past the last segment, which ends at `to` (no trailing slash is left)
    }
    return parts;
  }

  /**
   * Whether {@link #segments} of {@code path} has an empty one ("a//b"), which RequestInfo reads as
   * an empty namespace, name or resource.
   */
  static boolean hasEmptySegment(String path) {
    int from = trimmedStart(path);
    int to = trimmedEnd(path, from);
    int pair = path.indexOf("//", from);
    return pair >= 0 && pair + 1 < to;
  }

  /** Where {@code path} starts once its leading slashes are left out. */
  private static int trimmedStart(String path) {
    int from = 0;
    while (from < path.length() && path.charAt(from) == '/') {
      from++;
    }
    return from;
  }

  /** Where {@code path} ends once its trailing slashes (after {@code from}) are left out. */
  private static int trimmedEnd(String path, int from) {
    int to = path.length();
    while (to > from && path.charAt(to - 1) == '/') {
      to--;
    }
    return to;
  }

  private static String unescapePath(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
