package dev.rbacsynth.attributes;

import java.util.Comparator;
import java.util.Objects;

/**
 * What the authorizer receives for one check, minus the user: a resource request (verb, group,
 * resource, subresource, namespace, name) or a non-resource request (verb, path without query).
 * This is the unit rbac-synth aggregates, generates rules for and evaluates.
 */
public record RequestAttributes(
    boolean resourceRequest,
    String verb,
    String apiGroup,
    String resource,
    String subresource,
    String namespace,
    String name,
    String path) {

  /**
   * Stable order used wherever requests are listed: non-resource first, then by group, resource,
   * ...
   */
  public static final Comparator<RequestAttributes> ORDER = RequestAttributes::compare;

  private static int compare(RequestAttributes a, RequestAttributes b) {
    int c = Boolean.compare(a.resourceRequest, b.resourceRequest);
    if (c == 0) {
      c = a.apiGroup.compareTo(b.apiGroup);
    }
    if (c == 0) {
      c = a.resource.compareTo(b.resource);
    }
    if (c == 0) {
      c = a.subresource.compareTo(b.subresource);
    }
    if (c == 0) {
      c = a.namespace.compareTo(b.namespace);
    }
    if (c == 0) {
      c = a.name.compareTo(b.name);
    }
    if (c == 0) {
      c = a.path.compareTo(b.path);
    }
    return c != 0 ? c : a.verb.compareTo(b.verb);
  }

  public RequestAttributes {
    verb = Objects.requireNonNullElse(verb, "");
    apiGroup = Objects.requireNonNullElse(apiGroup, "");
    resource = Objects.requireNonNullElse(resource, "");
    subresource = Objects.requireNonNullElse(subresource, "");
    namespace = Objects.requireNonNullElse(namespace, "");
    name = Objects.requireNonNullElse(name, "");
    path = Objects.requireNonNullElse(path, "");
  }

  public static RequestAttributes resource(
      String verb,
      String apiGroup,
      String resource,
      String subresource,
      String namespace,
      String name) {
    return new RequestAttributes(true, verb, apiGroup, resource, subresource, namespace, name, "");
  }

  public static RequestAttributes nonResource(String verb, String path) {
    return new RequestAttributes(false, verb, "", "", "", "", "", path);
  }

  /** {@code resource} or {@code resource/subresource}, as RBAC rules name it. */
  public String combinedResource() {
    return subresource.isEmpty() ? resource : resource + "/" + subresource;
  }

  public RequestAttributes withVerb(String newVerb) {
    return new RequestAttributes(
        resourceRequest, newVerb, apiGroup, resource, subresource, namespace, name, path);
  }

  public RequestAttributes withName(String newName) {
    return new RequestAttributes(
        resourceRequest, verb, apiGroup, resource, subresource, namespace, newName, path);
  }

  public RequestAttributes withNamespace(String newNamespace) {
    return new RequestAttributes(
        resourceRequest, verb, apiGroup, resource, subresource, newNamespace, name, path);
  }

  // Written out rather than left to the record: the generated methods go through method handles,
  // which only C2 flattens, and the launcher leaves this per-event code to C1.
  @Override
  public boolean equals(Object o) {
    return o instanceof RequestAttributes r
        && resourceRequest == r.resourceRequest
        && verb.equals(r.verb)
        && apiGroup.equals(r.apiGroup)
        && resource.equals(r.resource)
        && subresource.equals(r.subresource)
        && namespace.equals(r.namespace)
        && name.equals(r.name)
        && path.equals(r.path);
  }

  @Override
  public int hashCode() {
    int h = Boolean.hashCode(resourceRequest);
    h = 31 * h + verb.hashCode();
    h = 31 * h + apiGroup.hashCode();
    h = 31 * h + resource.hashCode();
    h = 31 * h + subresource.hashCode();
    h = 31 * h + namespace.hashCode();
    h = 31 * h + name.hashCode();
    return 31 * h + path.hashCode();
  }

  /**
   * kubectl-like text: {@code list pods -n shop}, {@code get pods/log web-0 -n shop}, {@code get
   * /metrics}.
   */
  public String describe() {
    if (!resourceRequest) {
      return verb + " " + path;
    }
    StringBuilder s = new StringBuilder(verb).append(' ').append(combinedResource());
    if (!apiGroup.isEmpty()) {
      s.append(" (").append(apiGroup).append(')');
    }
    if (!name.isEmpty()) {
      s.append(' ').append(name);
    }
    s.append(namespace.isEmpty() ? " (cluster-wide)" : " -n " + namespace);
    return s.toString();
  }
}
