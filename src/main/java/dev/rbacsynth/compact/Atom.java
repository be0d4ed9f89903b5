package dev.rbacsynth.compact;

import dev.rbacsynth.attributes.RequestAttributes;

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

  Atom withNamespace(String ns) {
    return new Atom(resource, ns, apiGroup, resourceName, name, url, verb);
  }

  Atom withName(String n) {
    return new Atom(resource, namespace, apiGroup, resourceName, n, url, verb);
  }
}
