package dev.rbacsynth;

/** Paths of the real RBAC manifests in testdata/rbac (see its README). */
public final class TestData {
  public static final String BOOTSTRAP = "testdata/rbac/kubernetes-bootstrappolicy";
  public static final String BOOTSTRAP_CLUSTER_ROLES = BOOTSTRAP + "/cluster-roles.yaml";
  public static final String KUBE_PROXY_BINDING =
      "testdata/rbac/kubernetes-addons-kube-proxy/kube-proxy-rbac.yaml";
  public static final String COREDNS = "testdata/rbac/coredns-deployment/coredns.yaml.sed";
  public static final String FLANNEL = "testdata/rbac/flannel-v0.20.2/kube-flannel.yml";
  public static final String FLANNEL_MASTER =
      "testdata/rbac/flannel-master-2023-01-12/kube-flannel.yml";
  public static final String ARGO_CD = "testdata/rbac/argo-cd-v2.5.8/install.yaml";
  public static final String INGRESS_NGINX =
      "testdata/rbac/ingress-nginx-controller-v1.5.1/deploy.yaml";
  public static final String GATEKEEPER = "testdata/rbac/gatekeeper/gatekeeper.yaml";

  private TestData() {}
}
