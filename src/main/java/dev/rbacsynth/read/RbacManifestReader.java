package dev.rbacsynth.read;

import dev.rbacsynth.kube.RbacMaps;
import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.yaml.YamlDocuments;
import dev.rbacsynth.yaml.YamlPosition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.io.InputStream;
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
  private final ManifestPositions positions = new ManifestPositions();
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
    TemplateMarkers reader = new TemplateMarkers(YamlDocuments.strictUtf8(in));
    int[] documentNumber = {0};
    positions.fileRead(name);
    try {
      YamlDocuments.forEachDocument(
          reader,
          document -> {
            documentNumber[0]++;
            add(
                document.value(),
                document.position(),
                name,
                name + ":" + document.position().line() + " (document " + documentNumber[0] + ")");
          });
    } catch (YamlDocuments.YamlSyntaxException e) {
      if (reader.firstMarkerLine() > 0) {
        throw new RbacManifestException(
            name
                + ":"
                + reader.firstMarkerLine()
                + ": "
                + TemplateMarkers.helmHint(reader.firstMarkerLine())
                + " ("
                + e.getMessage()
                + (e.line() > 0 ? " at line " + e.line() : "")
                + ")");
      }
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

  /** Where each object was read, for reports that point at a file and line. */
  public ManifestPositions positions() {
    return positions;
  }

  /** Documents that were not RBAC objects (Deployments, CRDs, ...), skipped on purpose. */
  public int skippedDocuments() {
    return skippedDocuments;
  }

  private void add(Object document, YamlPosition position, String file, String where) {
    if (!(document instanceof Map<?, ?> map)) {
      skippedDocuments++;
      return;
    }
    Object kind = map.get("kind");
    Object apiVersion = map.get("apiVersion");
    if (kind instanceof String k
        && k.endsWith("List")
        && map.get("items") instanceof List<?> items) {
      YamlPosition itemPositions = position.get("items");
      for (int i = 0; i < items.size(); i++) {
        add(items.get(i), itemPositions.item(i), file, where);
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
        default -> {
          skippedDocuments++;
          return;
        }
      }
      record(k, map, position, file);
    } catch (IllegalArgumentException e) {
      throw new RbacManifestException(
          where + ": invalid " + k + ": " + YamlDocuments.oneLine(e.getMessage()));
    }
  }

  private void record(String kind, Map<?, ?> map, YamlPosition position, String file) {
    String namespace = "";
    String name = "";
    if (map.get("metadata") instanceof Map<?, ?> metadata) {
      if (!kind.startsWith("Cluster") && metadata.get("namespace") instanceof String ns) {
        namespace = ns;
      }
      if (metadata.get("name") instanceof String n) {
        name = n;
      }
    }
    positions.put(
        kind,
        namespace,
        name,
        new ManifestPositions.ObjectPosition(
            file, position.line(), lines(position.get("rules")), lines(position.get("subjects"))));
  }

  private static List<Integer> lines(YamlPosition sequence) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < sequence.size(); i++) {
      out.add(sequence.item(i).line());
    }
    return out;
  }
}
