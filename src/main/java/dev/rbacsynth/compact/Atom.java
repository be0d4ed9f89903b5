package dev.rbacsynth.compact;

import dev.rbacsynth.attributes.RequestAttributes;
import java.util.Objects;

/**
 * One indivisible grant: a verb on (group, resource[/sub], name) in a namespace ("" =
 * cluster-wide), or a verb on a non-resource URL. Rules are compacted sets of atoms.
 */
record Atom(
    boolean resource,
    String namespace,
    String apiGroup,
    String resourceName,
    String name,
    String url,
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
        && resource == a.resource
        && Objects.equals(namespace, a.namespace)
        && Objects.equals(apiGroup, a.apiGroup)
        && Objects.equals(resourceName, a.resourceName)
        && Objects.equals(name, a.name)
        && Objects.equals(url, a.url)
        && Objects.equals(verb, a.verb);
  }

  @Override
  public int hashCode() {
    int h = Boolean.hashCode(resource);
    h = 31 * h + Objects.hashCode(namespace);
    h = 31 * h + Objects.hashCode(apiGroup);
    h = 31 * h + Objects.hashCode(resourceName);
    h = 31 * h + Objects.hashCode(name);
    h = 31 * h + Objects.hashCode(url);
    return 31 * h + Objects.hashCode(verb);
  }

  Atom withNamespace(String ns) {
    return new Atom(resource, ns, apiGroup, resourceName, name, url, verb);
  }

  Atom withName(String n) {
    return new Atom(resource, namespace, apiGroup, resourceName, n, url, verb);
  }
}
