package dev.rbacsynth.attributes;

import java.util.Optional;
import java.util.Set;

/**
 * Checks that no generated rule could read as a wildcard or as "any" (semantics.md §5.3, the rule
 * matchers). A request is refused, reported and never granted when a value RBAC would match widely
 * reached one of its checks:
 *
 * <ul>
 *   <li>a {@code *} in the verb, API group, resource, subresource or namespace: in a rule, {@code
 *       *} is every verb, group or resource and {@code *}/SUB every resource's SUB; no real verb,
 *       group, resource or namespace contains one (a namespace is a DNS label);
 *   <li>a {@code *} in a non-resource URL: a URL rule ending in {@code *} is a prefix, {@code /*}
 *       is every URL;
 *   <li>an empty segment in a resource URL ({@code pods//exec}, {@code namespaces//pods}): it
 *       becomes an empty name or namespace, and a rule for an empty name has no {@code
 *       resourceNames}, i.e. any name (an empty namespace, every namespace);
 *   <li>an empty name in an impersonation check (user, group, extra value): a rule for it would
 *       allow impersonating anyone;
 *   <li>a {@code *} in a name: no object is named so, and in a CSR signer name the approval
 *       admission reads {@code domain/*} as every signer of the domain (the one exception is the
 *       literal {@code *} node that {@code impersonate:associated-node} checks on purpose);
 *   <li>a subresource of an empty name (an export without a URL, whose objectRef has none);
 *   <li>{@code get}, {@code update}, {@code patch} or {@code delete} of an empty name: RequestInfo
 *       derives {@code get} and {@code delete} only from a URL with a name (without one they are
 *       {@code list} and {@code deletecollection}), and a PUT or PATCH on a collection has no
 *       handler; a rule for it has no {@code resourceNames}, i.e. any name.
 * </ul>
 *
 * None of these can succeed on a real apiserver: nothing is named {@code *} or {@code ""}.
 */
public final class Refusals {

  /** Verbs that act on one object, named in the URL (semantics.md §2.1). */
  private static final Set<String> NAMED_VERBS = Set.of("get", "update", "patch", "delete");

  private Refusals() {}

  /** Why the check must not become a rule, or empty when it may. */
  public static Optional<String> reason(RequestAttributes a) {
    if (a.verb().contains("*")) {
      return Optional.of("verb \"" + a.verb() + "\" contains *, which RBAC reads as every verb");
    }
    if (!a.resourceRequest()) {
      if (a.path().contains("*")) {
        return Optional.of(
            "URL \"" + a.path() + "\" contains *, which RBAC reads as a prefix of every URL");
      }
      return Optional.empty();
    }
    if (a.apiGroup().contains("*")) {
      return Optional.of("API group \"" + a.apiGroup() + "\" contains *, which RBAC reads as any");
    }
    if (a.resource().contains("*") || a.subresource().contains("*")) {
      return Optional.of(
          "resource \"" + a.combinedResource() + "\" contains *, which RBAC reads as any resource");
    }
    if (a.namespace().contains("*")) {
      return Optional.of(
          "namespace \"" + a.namespace() + "\" contains *, which is no valid namespace name");
    }
    if (a.name().contains("*") && !isAssociatedNode(a)) {
      return Optional.of(
          a.resource().equals("signers")
              ? "signer \""
                  + a.name()
                  + "\" contains *, which CSR admission reads as every signer"
                  + " of its domain"
              : "name \"" + a.name() + "\" contains *: no object is named so");
    }
    if (a.name().isEmpty() && isImpersonation(a.verb())) {
      return Optional.of(
          "impersonation of an empty " + a.combinedResource() + " name, which RBAC reads as any");
    }
    if (a.name().isEmpty() && NAMED_VERBS.contains(a.verb())) {
      return Optional.of(
          a.verb()
              + " of "
              + a.combinedResource()
              + " with an empty name, which RBAC reads as any name");
    }
    if (!a.subresource().isEmpty() && a.name().isEmpty()) {
      return Optional.of(
          "subresource "
              + a.combinedResource()
              + " of an empty name, which RBAC reads as any name");
    }
    return Optional.empty();
  }

  /**
   * Why a resource URL must not become a rule: an empty segment (after the leading and trailing
   * slashes, which the apiserver trims) that RequestInfo would read as an empty namespace, name or
   * resource.
   */
  public static Optional<String> reason(RequestInfo info) {
    if (!info.resourceRequest()) {
      return Optional.empty();
    }
    String path = info.path();
    if (RequestInfo.hasEmptySegment(path)) {
      return Optional.of(
          "URL \"" + path + "\" has an empty segment, read as an empty name or namespace (any)");
    }
    return Optional.empty();
  }

  /**
   * The check {@code impersonate:associated-node} makes on purpose: the literal name {@code *} on
   * nodes (semantics.md §4.4), which the apiserver itself asks for.
   */
  private static boolean isAssociatedNode(RequestAttributes a) {
    return a.verb().equals("impersonate:associated-node")
        && a.resource().equals("nodes")
        && a.name().equals("*");
  }

  private static boolean isImpersonation(String verb) {
    return verb.equals("impersonate") || verb.startsWith("impersonate:");
  }
}
