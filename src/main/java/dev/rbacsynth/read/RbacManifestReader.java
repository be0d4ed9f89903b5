package dev.rbacsynth.read;

import dev.rbacsynth.kube.RbacMaps;
import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.yaml.YamlDocuments;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads RBAC objects from manifests: multi-document YAML or JSON (JSON is YAML), {@code List} kinds
 * (the output of {@code kubectl get ... -o yaml}), and Helm/kustomize output where RBAC is mixed
 * with other kinds, which are skipped. Only {@code rbac.authorization.k8s.io/v1} objects count;
 * older RBAC versions are read the same way.
 */
public final class RbacManifestReader {

  private static final String RBAC_API = "rbac.authorization.k8s.io/";

  private final List<Role> roles = new ArrayList<>();
  private final List<ClusterRole> clusterRoles = new ArrayList<>();
  private final List<RoleBinding> roleBindings = new ArrayList<>();
  private final List<ClusterRoleBinding> clusterRoleBindings = new ArrayList<>();
  private int skippedDocuments;

  /** Reads every document of the source and keeps the RBAC objects. */
  public RbacManifestReader read(InputSource source) {
    try (InputStream in = source.openRaw()) {
      return read(source.name(), in);
    } catch (IOException e) {
      throw new RbacManifestException(source.name() + ": " + e.getMessage());
    }
  }

  public RbacManifestReader read(String name, InputStream in) {
    Reader reader = YamlDocuments.strictUtf8(in);
    int[] documentNumber = {0};
    try {
      YamlDocuments.forEach(
          reader,
          (document, line) -> {
            documentNumber[0]++;
            add(document, name + ":" + line + " (document " + documentNumber[0] + ")");
          });
    } catch (YamlDocuments.YamlSyntaxException e) {
      throw new RbacManifestException(
          name
              + (e.line() > 0 ? ":" + e.line() : "")
              + " (document "
              + (documentNumber[0] + 1)
              + "): "
              + e.getMessage());
    } catch (RuntimeException e) {
      if (e.getCause() instanceof CharacterCodingException) {
        throw new RbacManifestException(name + ": not UTF-8 text");
      }
      throw e;
    }
    return this;
  }

  public RbacObjects objects() {
    return new RbacObjects(roles, clusterRoles, roleBindings, clusterRoleBindings);
  }

  /** Documents that were not RBAC objects (Deployments, CRDs, ...), skipped on purpose. */
  public int skippedDocuments() {
    return skippedDocuments;
  }

  private void add(Object document, String where) {
    if (!(document instanceof Map<?, ?> map)) {
      skippedDocuments++;
      return;
    }
    Object kind = map.get("kind");
    Object apiVersion = map.get("apiVersion");
    if (kind instanceof String k
        && k.endsWith("List")
        && map.get("items") instanceof List<?> items) {
      for (Object item : items) {
        add(item, where);
      }
      return;
    }
    if (!(apiVersion instanceof String api)
        || !api.startsWith(RBAC_API)
        || !(kind instanceof String k)) {
      skippedDocuments++;
      return;
    }
    try {
      switch (k) {
        case "Role" -> roles.add((Role) RbacMaps.fromMap(k, map));
        case "ClusterRole" -> clusterRoles.add((ClusterRole) RbacMaps.fromMap(k, map));
        case "RoleBinding" -> roleBindings.add((RoleBinding) RbacMaps.fromMap(k, map));
        case "ClusterRoleBinding" ->
            clusterRoleBindings.add((ClusterRoleBinding) RbacMaps.fromMap(k, map));
        default -> skippedDocuments++;
      }
    } catch (IllegalArgumentException e) {
      throw new RbacManifestException(
          where + ": invalid " + k + ": " + YamlDocuments.oneLine(e.getMessage()));
    }
  }
}
