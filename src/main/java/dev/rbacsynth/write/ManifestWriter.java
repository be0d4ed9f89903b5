package dev.rbacsynth.write;

import dev.rbacsynth.rbac.RbacMaps;
import dev.rbacsynth.rbac.RbacObjects;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

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

  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private ManifestWriter() {}

  public static String render(RbacObjects objects, Format format) {
    List<Object> documents = new ArrayList<>();
    documents.addAll(objects.roles());
    documents.addAll(objects.clusterRoles());
    documents.addAll(objects.roleBindings());
    documents.addAll(objects.clusterRoleBindings());
    return format == Format.JSON ? json(documents) : yaml(documents);
  }

  static String yaml(List<Object> documents) {
    StringBuilder out = new StringBuilder();
    for (Object document : documents) {
      if (out.length() > 0) {
        out.append("---\n");
      }
      out.append(YamlEmitter.emit(RbacMaps.toMap(document)));
    }
    return out.toString();
  }

  static String json(List<Object> documents) {
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    list.put("items", documents.stream().map(RbacMaps::toMap).toList());
    return MAPPER.writeValueAsString(list) + "\n";
  }
}
