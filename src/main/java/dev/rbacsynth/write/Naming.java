package dev.rbacsynth.write;

import dev.rbacsynth.kube.Names;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Name, labels and annotations of generated objects, from audit2rbac-style templates: {@code
 * ${user}} and {@code ${version}} are replaced (sanitised for names and label values, raw in
 * annotations).
 */
public record Naming(
    String nameTemplate, List<String> labelTemplates, List<String> annotationTemplates) {

  public static final String DEFAULT_NAME = "rbac-synth:${user}";
  public static final List<String> DEFAULT_LABELS =
      List.of(
          "app.kubernetes.io/managed-by=rbac-synth",
          "rbac-synth.dev/generated=true",
          "rbac-synth.dev/subject=${user}");
  public static final List<String> DEFAULT_ANNOTATIONS =
      List.of("rbac-synth.dev/subject=${user}", "rbac-synth.dev/version=${version}");

  /** The resolved values for one subject. */
  public record Resolved(
      String name, SortedMap<String, String> labels, SortedMap<String, String> annotations) {}

  /**
   * @throws IllegalArgumentException naming the offending label or annotation
   */
  public Resolved resolve(String user, String version) {
    String name =
        Names.objectName(nameTemplate.replace("${user}", user).replace("${version}", version));
    SortedMap<String, String> labels = new TreeMap<>();
    parse(labelTemplates)
        .forEach(
            (key, value) -> {
              String v =
                  value
                      .replace("${user}", Names.labelValue(user))
                      .replace("${version}", Names.labelValue(version));
              if (!Names.isValidQualifiedName(key)) {
                throw new IllegalArgumentException("invalid label key \"" + key + "\"");
              }
              if (!Names.isValidLabelValue(v)) {
                throw new IllegalArgumentException(
                    "invalid value for label "
                        + key
                        + ": \""
                        + v
                        + "\" (at most 63 characters of [A-Za-z0-9_.-], starting and ending alphanumeric)");
              }
              labels.put(key, v);
            });
    SortedMap<String, String> annotations = new TreeMap<>();
    parse(annotationTemplates)
        .forEach(
            (key, value) -> {
              if (!Names.isValidQualifiedName(key)) {
                throw new IllegalArgumentException("invalid annotation key \"" + key + "\"");
              }
              annotations.put(key, value.replace("${user}", user).replace("${version}", version));
            });
    return new Resolved(name, labels, annotations);
  }

  /** {@code key[=value]} entries; an entry without {@code =} has the value "". Later keys win. */
  private static Map<String, String> parse(List<String> entries) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String entry : entries) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      int eq = e.indexOf('=');
      out.put(eq >= 0 ? e.substring(0, eq) : e, eq >= 0 ? e.substring(eq + 1) : "");
    }
    return out;
  }
}
