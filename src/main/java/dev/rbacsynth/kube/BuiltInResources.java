package dev.rbacsynth.kube;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one catalogue of built-in resources: API group, plural, kubectl short names and scope, as the
 * apiserver's discovery ({@code kubectl api-resources}) lists them. {@code can-i} resolves names
 * with it, and generation, review and {@code can-i} take the scope from it, so they agree.
 */
public final class BuiltInResources {

  /** Where objects of a resource live. */
  public enum Scope {
    NAMESPACED,
    CLUSTER
  }

  /**
   * One built-in resource.
   *
   * @param group the API group, "" for the core group
   * @param shortNames kubectl's short names, as discovery lists them
   */
  public record Resource(String group, String plural, List<String> shortNames, Scope scope) {
    public Resource {
      shortNames = List.copyOf(shortNames);
    }
  }

  private static final List<Resource> ALL = new ArrayList<>();
  private static final Map<String, Resource> BY_GROUP_AND_PLURAL = new HashMap<>();
  private static final Map<String, Resource> BY_PLURAL = new HashMap<>();
  private static final Map<String, Resource> BY_SHORT_NAME = new HashMap<>();

  static {
    String core = "";
    ns(core, "pods", "po");
    ns(core, "services", "svc");
    ns(core, "configmaps", "cm");
    ns(core, "secrets");
    // The Namespace object N is in namespace N for RBAC: see clusterScopedForRbac.
    cluster(core, "namespaces", "ns");
    cluster(core, "nodes", "no");
    cluster(core, "persistentvolumes", "pv");
    ns(core, "persistentvolumeclaims", "pvc");
    ns(core, "serviceaccounts", "sa");
    ns(core, "endpoints", "ep");
    ns(core, "events", "ev");
    // The same objects under a second group: RBAC treats them as a separate resource, and kubectl
    // resolves the plain name and "ev" to the core one (lookup keeps the first entry).
    ns("events.k8s.io", "events", "ev");
    ns(core, "limitranges", "limits");
    ns(core, "resourcequotas", "quota");
    ns(core, "replicationcontrollers", "rc");
    ns(core, "podtemplates");
    cluster(core, "componentstatuses", "cs");
    ns(core, "bindings");
    ns("apps", "deployments", "deploy");
    ns("apps", "daemonsets", "ds");
    ns("apps", "statefulsets", "sts");
    ns("apps", "replicasets", "rs");
    ns("apps", "controllerrevisions");
    ns("batch", "jobs");
    ns("batch", "cronjobs", "cj");
    ns("autoscaling", "horizontalpodautoscalers", "hpa");
    ns("networking.k8s.io", "ingresses", "ing");
    cluster("networking.k8s.io", "ingressclasses");
    ns("networking.k8s.io", "networkpolicies", "netpol");
    cluster("networking.k8s.io", "ipaddresses");
    cluster("networking.k8s.io", "servicecidrs");
    ns("rbac.authorization.k8s.io", "roles");
    ns("rbac.authorization.k8s.io", "rolebindings");
    cluster("rbac.authorization.k8s.io", "clusterroles");
    cluster("rbac.authorization.k8s.io", "clusterrolebindings");
    cluster("apiextensions.k8s.io", "customresourcedefinitions", "crd", "crds");
    cluster("apiregistration.k8s.io", "apiservices");
    cluster("storage.k8s.io", "storageclasses", "sc");
    cluster("storage.k8s.io", "csidrivers");
    cluster("storage.k8s.io", "csinodes");
    ns("storage.k8s.io", "csistoragecapacities");
    cluster("storage.k8s.io", "volumeattachments");
    cluster("storage.k8s.io", "volumeattributesclasses");
    cluster("certificates.k8s.io", "certificatesigningrequests", "csr");
    cluster("certificates.k8s.io", "clustertrustbundles");
    ns("coordination.k8s.io", "leases");
    ns("coordination.k8s.io", "leasecandidates");
    ns("discovery.k8s.io", "endpointslices");
    ns("policy", "poddisruptionbudgets", "pdb");
    cluster("scheduling.k8s.io", "priorityclasses", "pc");
    cluster("node.k8s.io", "runtimeclasses");
    cluster("admissionregistration.k8s.io", "mutatingwebhookconfigurations");
    cluster("admissionregistration.k8s.io", "validatingwebhookconfigurations");
    cluster("admissionregistration.k8s.io", "validatingadmissionpolicies");
    cluster("admissionregistration.k8s.io", "validatingadmissionpolicybindings");
    cluster("admissionregistration.k8s.io", "mutatingadmissionpolicies");
    cluster("admissionregistration.k8s.io", "mutatingadmissionpolicybindings");
    // Dynamic resource allocation (resource.k8s.io, GA in Kubernetes 1.34).
    cluster("resource.k8s.io", "deviceclasses");
    ns("resource.k8s.io", "resourceclaims");
    ns("resource.k8s.io", "resourceclaimtemplates");
    cluster("resource.k8s.io", "resourceslices");
    cluster("authentication.k8s.io", "tokenreviews");
    cluster("authentication.k8s.io", "selfsubjectreviews");
    cluster("authorization.k8s.io", "subjectaccessreviews");
    cluster("authorization.k8s.io", "selfsubjectaccessreviews");
    cluster("authorization.k8s.io", "selfsubjectrulesreviews");
    ns("authorization.k8s.io", "localsubjectaccessreviews");
    cluster("flowcontrol.apiserver.k8s.io", "flowschemas");
    cluster("flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations");
  }

  private BuiltInResources() {}

  private static void ns(String group, String plural, String... shortNames) {
    add(new Resource(group, plural, List.of(shortNames), Scope.NAMESPACED));
  }

  private static void cluster(String group, String plural, String... shortNames) {
    add(new Resource(group, plural, List.of(shortNames), Scope.CLUSTER));
  }

  private static void add(Resource r) {
    ALL.add(r);
    BY_GROUP_AND_PLURAL.put(r.group() + "/" + r.plural(), r);
    BY_PLURAL.putIfAbsent(r.plural(), r);
    for (String s : r.shortNames()) {
      BY_SHORT_NAME.putIfAbsent(s, r);
    }
  }

  /** Every built-in resource, in the catalogue's order. */
  public static List<Resource> all() {
    return List.copyOf(ALL);
  }

  public static Optional<Resource> find(String group, String plural) {
    return Optional.ofNullable(BY_GROUP_AND_PLURAL.get(group + "/" + plural));
  }

  /**
   * The resource a group-less name stands for, as kubectl resolves it offline: a plural, a short
   * name, or a singular ({@code deploy} and {@code deployment} are {@code deployments.apps}).
   */
  public static Optional<Resource> lookup(String name) {
    if (BY_PLURAL.containsKey(name)) {
      return Optional.of(BY_PLURAL.get(name));
    }
    if (BY_SHORT_NAME.containsKey(name)) {
      return Optional.of(BY_SHORT_NAME.get(name));
    }
    for (String candidate :
        new String[] {
          name + "s",
          name + "es",
          name.endsWith("y") ? name.substring(0, name.length() - 1) + "ies" : name
        }) {
      if (BY_PLURAL.containsKey(candidate)) {
        return Optional.of(BY_PLURAL.get(candidate));
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a request for this resource can never be authorized in a namespace: a built-in
   * cluster-scoped resource, except {@code namespaces}. RequestInfo does not know scopes, so {@code
   * /api/v1/namespaces/shop/nodes/n1} is authorized in namespace shop and then answers 404: such a
   * request never succeeds, is not turned into a rule, and a RoleBinding grants nothing for it;
   * {@code can-i} checks it at cluster scope. The Namespace object N, though, is in namespace N for
   * RBAC (semantics.md §2.4).
   */
  public static boolean clusterScopedForRbac(String group, String resource) {
    Resource r = BY_GROUP_AND_PLURAL.get(group + "/" + resource);
    return r != null
        && r.scope() == Scope.CLUSTER
        && !(group.isEmpty() && resource.equals("namespaces"));
  }
}
