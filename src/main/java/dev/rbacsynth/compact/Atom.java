package dev.rbacsynth.compact;

import dev.rbacsynth.attributes.RequestAttributes;
import java.util.Objects;

/**
 * One indivisible grant as generation builds it: what an {@code authorize.Grant} is (a verb on
 * apiGroup, resource[/subresource] and resourceName, "" for any name, or a verb on a non-resource
 * URL; the fields have the same names and meanings), placed in a namespace ("" = cluster-wide).
 * Rules are compacted sets of atoms.
 */
record Atom(
    boolean resourceRequest,
    String namespace,
    String apiGroup,
    String resource,
    String resourceName,
    String nonResourceURL,
    String verb) {

  static Atom of(RequestAttributes a, String verb) {
    return a.resourceRequest()
        ? new Atom(true, a.namespace(), a.apiGroup(), a.combinedResource(), a.name(), "", verb)
        : new Atom(false, "", "", "", "", a.path(), verb);
  }

  // Written out: the record's generated methods go through method handles, slow under C1 (the
  // launcher leaves all but the byte scan to C1 for logs under 6 GB).
  @Override
  public boolean equals(Object o) {
    return o instanceof Atom a
        && resourceRequest == a.resourceRequest
        && Objects.equals(namespace, a.namespace)
        && Objects.equals(apiGroup, a.apiGroup)
        && Objects.equals(resource, a.resource)
        && Objects.equals(resourceName, a.resourceName)
        && Objects.equals(nonResourceURL, a.nonResourceURL)
        && Objects.equals(verb, a.verb);
  }

  @Override
  public int hashCode() {
    int h = Boolean.hashCode(resourceRequest);
    h = 31 * h + Objects.hashCode(namespace);
    h = 31 * h + Objects.hashCode(apiGroup);
    h = 31 * h + Objects.hashCode(resource);
    h = 31 * h + Objects.hashCode(resourceName);
    h = 31 * h + Objects.hashCode(nonResourceURL);
    return 31 * h + Objects.hashCode(verb);
  }

  Atom withNamespace(String ns) {
    return new Atom(resourceRequest, ns, apiGroup, resource, resourceName, nonResourceURL, verb);
  }

  Atom withResourceName(String n) {
    return new Atom(resourceRequest, namespace, apiGroup, resource, n, nonResourceURL, verb);
  }
}
