package dev.rbacsynth.kube;

import java.util.Set;

/**
 * Built-in resources that are cluster-scoped. RequestInfo does not know scopes, so {@code
 * /api/v1/namespaces/shop/nodes/n1} is authorized in namespace shop and then answers 404
 * (rbac-semantics case 10): such a request can never succeed and is not turned into a rule. {@code
 * namespaces} is absent on purpose: the Namespace object N is in namespace N for RBAC (case 8).
 */
public final class ResourceScopes {
  private static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "/nodes",
          "/persistentvolumes",
          "/componentstatuses",
          "rbac.authorization.k8s.io/clusterroles",
          "rbac.authorization.k8s.io/clusterrolebindings",
          "apiextensions.k8s.io/customresourcedefinitions",
          "apiregistration.k8s.io/apiservices",
          "storage.k8s.io/storageclasses",
          "storage.k8s.io/csidrivers",
          "storage.k8s.io/csinodes",
          "storage.k8s.io/volumeattachments",
          "scheduling.k8s.io/priorityclasses",
          "certificates.k8s.io/certificatesigningrequests",
          "certificates.k8s.io/clustertrustbundles",
          "admissionregistration.k8s.io/mutatingwebhookconfigurations",
          "admissionregistration.k8s.io/validatingwebhookconfigurations",
          "admissionregistration.k8s.io/validatingadmissionpolicies",
          "admissionregistration.k8s.io/validatingadmissionpolicybindings",
          "node.k8s.io/runtimeclasses",
          "networking.k8s.io/ingressclasses",
          "networking.k8s.io/ipaddresses",
          "networking.k8s.io/servicecidrs",
          "flowcontrol.apiserver.k8s.io/flowschemas",
          "flowcontrol.apiserver.k8s.io/prioritylevelconfigurations",
          "authentication.k8s.io/tokenreviews",
          "authentication.k8s.io/selfsubjectreviews",
          "authorization.k8s.io/subjectaccessreviews",
          "authorization.k8s.io/selfsubjectaccessreviews",
          "authorization.k8s.io/selfsubjectrulesreviews");

  private ResourceScopes() {}

  public static boolean isBuiltInClusterScoped(String apiGroup, String resource) {
    return CLUSTER_SCOPED.contains(apiGroup + "/" + resource);
  }
}
