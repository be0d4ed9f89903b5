package dev.rbacsynth.read.envelope;

import dev.rbacsynth.event.ObjectReference;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A GKE {@code protoPayload.resourceName} such as {@code core/v1/namespaces/ns/pods/name/exec} or
 * {@code rbac.authorization.k8s.io/v1/clusterroles/x}, turned into the request path the API server
 * saw and the object reference it logged. The split follows the API server's request-info rules:
 * {@code namespaces/NS/...} scopes what follows, except the namespace subresources {@code status}
 * and {@code finalize}.
 */
record GkeResourceName(String requestURI, ObjectReference objectRef) {

  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  /**
   * @param verb the Kubernetes verb: a create names its object in GKE's resourceName but not in its
   *     path
   * @throws IllegalArgumentException when the name is not group/version/resource...
   */
  static GkeResourceName parse(String resourceName, String verb) {
    List<String> parts = Arrays.asList(strip(resourceName).split("/", -1));
    if (parts.size() < 3 || parts.contains("")) {
      throw new IllegalArgumentException(
          "protoPayload.resourceName \""
              + resourceName
              + "\" is not GROUP/VERSION/[namespaces/NS/]RESOURCE[/NAME]");
    }
    String group = parts.get(0).equals("core") ? "" : parts.get(0);
    String version = parts.get(1);
    List<String> path = parts.subList(2, parts.size());
    ObjectReference ref = split(path, group, version);
    if (verb.equals("create") && ref.subresource().isEmpty() && !ref.name().isEmpty()) {
      // POST goes to the collection; the apiserver takes the name from the body and logs it in
      // objectRef.
      path = path.subList(0, path.size() - 1);
      ObjectReference collection = split(path, group, version);
      ref =
          new ObjectReference(
              collection.resource(), collection.namespace(), ref.name(), group, version, "");
    }
    String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    String uri = prefix + "/" + String.join("/", path);
    if (verb.equals("watch")) {
      uri += "?watch=true";
    }
    return new GkeResourceName(uri, ref);
  }

  private static ObjectReference split(List<String> path, String group, String version) {
    String namespace = "";
    List<String> rest = path;
    if (rest.get(0).equals("namespaces") && rest.size() > 1) {
      namespace = rest.get(1);
      if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
        rest = rest.subList(2, rest.size());
      }
    }
    String resource = rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : "";
    String subresource = rest.size() > 2 ? rest.get(2) : "";
    return new ObjectReference(resource, namespace, name, group, version, subresource);
  }

  private static String strip(String resourceName) {
    return resourceName.startsWith("/") ? resourceName.substring(1) : resourceName;
  }
}
