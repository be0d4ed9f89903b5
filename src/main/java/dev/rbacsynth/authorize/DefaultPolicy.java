package dev.rbacsynth.authorize;

import dev.rbacsynth.kube.RbacMaps;
import dev.rbacsynth.kube.RbacObjects;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default grants of a Kubernetes release (discovery, basic-user, public-info-viewer, ...).
 *
 * <p>The bundled file {@code defaults-1.36.yaml} (next to this class) is the source, with its
 * upstream references; {@link #documents()} is the same documents written out as Java values, so
 * that every {@code generate} and {@code can-i} does not start a YAML parser for them (a sixth of a
 * small run's CPU). {@code DefaultPolicyTest} checks that the two are equal, document by document.
 */
public final class DefaultPolicy {

  public static final String VERSION = "1.36";

  /** The bundled source of {@link #documents()}, a resource next to this class. */
  public static final String RESOURCE = "defaults-" + VERSION + ".yaml";

  private static final String RBAC = "rbac.authorization.k8s.io";

  /** Built once, on first use; concurrent first users wait for the one build. */
  private static final class Loaded {
    static final RbacObjects OBJECTS = build();

    private Loaded() {}
  }

  private DefaultPolicy() {}

  public static RbacObjects objects() {
    return Loaded.OBJECTS;
  }

  public static Authorizer authorizer() {
    return new Authorizer(Policy.of(objects()));
  }

  /** The documents of {@link #RESOURCE}, in its order, as its YAML reads them. */
  static List<Map<String, Object>> documents() {
    List<String> get = List.of("get");
    List<String> create = List.of("create");
    return List.of(
        clusterRole(
            "system:basic-user",
            rule(
                List.of("authorization.k8s.io"),
                List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews"),
                create),
            rule(List.of("authentication.k8s.io"), List.of("selfsubjectreviews"), create)),
        clusterRole(
            "system:discovery",
            urls(
                List.of(
                    "/api",
                    "/api/*",
                    "/apis",
                    "/apis/*",
                    "/healthz",
                    "/livez",
                    "/openapi",
                    "/openapi/*",
                    "/readyz",
                    "/version",
                    "/version/"),
                get)),
        clusterRole(
            "system:public-info-viewer",
            urls(List.of("/healthz", "/livez", "/readyz", "/version", "/version/"), get)),
        clusterRole(
            "system:service-account-issuer-discovery",
            urls(List.of("/.well-known/openid-configuration", "/openid/v1/jwks"), get)),
        clusterRole(
            "system:monitoring",
            urls(
                List.of(
                    "/healthz",
                    "/healthz/*",
                    "/livez",
                    "/livez/*",
                    "/metrics",
                    "/metrics/slis",
                    "/readyz",
                    "/readyz/*"),
                get)),
        binding("system:basic-user", "system:authenticated"),
        binding("system:discovery", "system:authenticated"),
        binding("system:public-info-viewer", "system:authenticated", "system:unauthenticated"),
        binding("system:service-account-issuer-discovery", "system:serviceaccounts"),
        binding("system:monitoring", "system:monitoring"));
  }

  /** The RBAC objects of {@link #documents()}, read by the same mapping as any manifest. */
  private static RbacObjects build() {
    List<ClusterRole> roles = new ArrayList<>();
    List<ClusterRoleBinding> bindings = new ArrayList<>();
    for (Map<String, Object> document : documents()) {
      String kind = (String) document.get("kind");
      Object object = RbacMaps.fromMap(kind, document);
      if (object instanceof ClusterRole role) {
        roles.add(role);
      } else {
        bindings.add((ClusterRoleBinding) object);
      }
    }
    return new RbacObjects(List.of(), roles, List.of(), bindings);
  }

  private static Map<String, Object> clusterRole(String name, Map<?, ?>... rules) {
    Map<String, Object> document = document("ClusterRole", name);
    document.put("rules", List.of(rules));
    return document;
  }

  private static Map<String, Object> binding(String name, String... groups) {
    Map<String, Object> document = document("ClusterRoleBinding", name);
    document.put("roleRef", reference("ClusterRole", name));
    List<Map<String, Object>> subjects = new ArrayList<>();
    for (String group : groups) {
      subjects.add(reference("Group", group));
    }
    document.put("subjects", subjects);
    return document;
  }

  private static Map<String, Object> document(String kind, String name) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("apiVersion", RBAC + "/v1");
    document.put("kind", kind);
    document.put("metadata", Map.of("name", name));
    return document;
  }

  private static Map<String, Object> reference(String kind, String name) {
    Map<String, Object> reference = new LinkedHashMap<>();
    reference.put("apiGroup", RBAC);
    reference.put("kind", kind);
    reference.put("name", name);
    return reference;
  }

  private static Map<String, Object> rule(
      List<String> apiGroups, List<String> resources, List<String> verbs) {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("apiGroups", apiGroups);
    rule.put("resources", resources);
    rule.put("verbs", verbs);
    return rule;
  }

  private static Map<String, Object> urls(List<String> nonResourceURLs, List<String> verbs) {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("nonResourceURLs", nonResourceURLs);
    rule.put("verbs", verbs);
    return rule;
  }
}
