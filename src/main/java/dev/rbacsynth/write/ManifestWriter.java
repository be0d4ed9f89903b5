package dev.rbacsynth.write;

import dev.rbacsynth.kube.RbacMaps;
import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.yaml.YamlEmitter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders RBAC objects as kubectl would: a multi-document YAML stream ({@code ---} between
 * documents, keys sorted, no nulls or empty fields) or a {@code v1 List} in JSON. Order: Roles,
 * ClusterRoles, RoleBindings, ClusterRoleBindings, as audit2rbac writes them.
 */
public final class ManifestWriter {

  /** Output formats for manifests. */
  public enum Format {
    YAML,
    JSON
  }

  private ManifestWriter() {}

  public static String render(RbacObjects objects, Format format) {
    List<Map<String, Object>> documents = documents(objects);
    return format == Format.JSON ? json(documents) : yaml(documents);
  }

  /** The objects as kubectl-style documents, in output order. */
  public static List<Map<String, Object>> documents(RbacObjects objects) {
    List<Object> ordered = new ArrayList<>();
    ordered.addAll(objects.roles());
    ordered.addAll(objects.clusterRoles());
    ordered.addAll(objects.roleBindings());
    ordered.addAll(objects.clusterRoleBindings());
    List<Map<String, Object>> documents = new ArrayList<>(ordered.size());
    for (Object object : ordered) {
      documents.add(RbacMaps.toMap(object));
    }
    return List.copyOf(documents);
  }

  /**
   * The documents, or with none an empty {@code v1 List}, as kubectl prints an empty result: a
   * valid manifest rather than no text at all.
   */
  static String yaml(List<Map<String, Object>> documents) {
    if (documents.isEmpty()) {
      // as kubectl writes an empty list (the emitter leaves empty fields out, this one is the
      // point)
      return "apiVersion: v1\nitems: []\nkind: List\n";
    }
    StringBuilder out = new StringBuilder();
    for (Map<String, Object> document : documents) {
      if (out.length() > 0) {
        out.append("---\n");
      }
      out.append(YamlEmitter.emit(document));
    }
    return out.toString();
  }

  static String json(List<Map<String, Object>> documents) {
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    list.put("items", documents);
    return JsonOutput.write(list);
  }
}
