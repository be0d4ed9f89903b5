package dev.rbacsynth.write;

import dev.rbacsynth.kube.Names;
import dev.rbacsynth.kube.Subject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Name, labels and annotations of generated objects, from audit2rbac-style templates: {@code
 * ${user}} (the username), {@code ${namespace}} and {@code ${name}} (a service account's namespace
 * and name; for a user or group "" and its name) and {@code ${version}} are replaced (sanitised for
 * names and label values, raw in annotations).
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

  /**
   * The resolved values for one subject.
   *
   * @param warnings what the user should know about the name: that it had to be rewritten to be a
   *     valid object name, or that a placeholder was empty
   */
  public record Resolved(
      String name,
      SortedMap<String, String> labels,
      SortedMap<String, String> annotations,
      List<String> warnings) {

    public Resolved(
        String name, SortedMap<String, String> labels, SortedMap<String, String> annotations) {
      this(name, labels, annotations, List.of());
    }

    public Resolved {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * The values for {@code subject}: a service account's {@code ${namespace}} and {@code ${name}}
   * are its own; a user's or group's {@code ${name}} is its name and {@code ${namespace}} "".
   *
   * @throws IllegalArgumentException naming the offending label or annotation
   */
  public Resolved resolve(Subject subject, String version) {
    boolean sa = subject instanceof Subject.ServiceAccount;
    String namespace = sa ? ((Subject.ServiceAccount) subject).namespace() : "";
    String name = sa ? ((Subject.ServiceAccount) subject).name() : subject.auditName();
    List<String> warnings = new ArrayList<>();
    if (!sa && nameTemplate.contains("${namespace}")) {
      warnings.add(
          "--generate-name: ${namespace} is empty for "
              + subject.describe()
              + " (only a service account has a namespace)");
    }
    Resolved r = resolve(subject.auditName(), namespace, name, version);
    String raw = substitute(nameTemplate, subject.auditName(), namespace, name, version);
    if (!raw.equals(r.name())) {
      warnings.add(
          "--generate-name: \""
              + raw
              + "\" is not a valid object name; the objects are named \""
              + r.name()
              + "\" (lowercase letters, digits, '.', ':' and '-', at most 253 characters)");
    }
    return new Resolved(r.name(), r.labels(), r.annotations(), warnings);
  }

  private static String substitute(
      String template, String user, String namespace, String name, String version) {
    return template
        .replace("${user}", user)
        .replace("${namespace}", namespace)
        .replace("${name}", name)
        .replace("${version}", version);
  }

  /**
   * @throws IllegalArgumentException naming the offending label or annotation
   */
  public Resolved resolve(String user, String version) {
    return resolve(user, "", user, version);
  }

  private Resolved resolve(String user, String namespace, String subjectName, String version) {
    String name = Names.objectName(substitute(nameTemplate, user, namespace, subjectName, version));
    SortedMap<String, String> labels = new TreeMap<>();
    parse(labelTemplates)
        .forEach(
            (key, value) -> {
              String v =
                  value
                      .replace("${user}", Names.labelValue(user))
                      .replace("${namespace}", Names.labelValue(namespace))
                      .replace("${name}", Names.labelValue(subjectName))
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
              annotations.put(key, substitute(value, user, namespace, subjectName, version));
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
