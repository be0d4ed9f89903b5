package dev.rbacsynth.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.yaml.YamlDocuments;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.AggregationRule;
import io.fabric8.kubernetes.api.model.rbac.AggregationRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.RoleRefBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link RbacMaps#fromMap} makes its objects with constructors and setters (Fabric8's builders cost
 * every small run milliseconds of interpreted code): here they are compared, with {@code equals}
 * and {@code hashCode}, to what the builders make of the same documents, for every RBAC document of
 * the real manifests in {@code testdata/rbac} (aggregation rules, bindings with and without
 * namespaces, labels and annotations included; the items of a {@code List} too).
 */
class RbacMapsTest {

  private static final Set<String> KINDS =
      Set.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding");

  @Test
  void objectsEqualWhatFabric8sBuildersMakeOfTheSameDocuments() throws IOException {
    List<Map<?, ?>> documents = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("testdata/rbac"))) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        if (file.toString().endsWith(".md")) {
          continue;
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          YamlDocuments.forEach(
              reader,
              (document, line) -> {
                if (document instanceof Map<?, ?> map && "List".equals(map.get("kind"))) {
                  for (Object item : list(map.get("items"))) {
                    if (item instanceof Map<?, ?> object && KINDS.contains(object.get("kind"))) {
                      documents.add(object);
                    }
                  }
                } else if (document instanceof Map<?, ?> map && KINDS.contains(map.get("kind"))) {
                  documents.add(map);
                }
              });
        }
      }
    }
    assertThat(documents).hasSizeGreaterThan(100);
    boolean aggregated = false;
    for (Map<?, ?> document : documents) {
      String kind = (String) document.get("kind");
      Object direct = RbacMaps.fromMap(kind, document);
      Object built = withBuilders(kind, document);
      assertThat(direct).as("%s %s", kind, document.get("metadata")).isEqualTo(built);
      assertThat(direct.hashCode()).isEqualTo(built.hashCode());
      aggregated |= document.containsKey("aggregationRule");
    }
    assertThat(aggregated).as("an aggregated ClusterRole among the documents").isTrue();
  }

  // ---- the builders' way, as RbacMaps read documents before

  private static Object withBuilders(String kind, Map<?, ?> map) {
    ObjectMeta meta = meta((Map<?, ?>) map.get("metadata"));
    return switch (kind) {
      case "Role" -> new RoleBuilder().withMetadata(meta).withRules(rules(map)).build();
      case "ClusterRole" ->
          new ClusterRoleBuilder()
              .withMetadata(meta)
              .withRules(rules(map))
              .withAggregationRule(aggregation((Map<?, ?>) map.get("aggregationRule")))
              .build();
      case "RoleBinding" ->
          new RoleBindingBuilder()
              .withMetadata(meta)
              .withRoleRef(roleRef((Map<?, ?>) map.get("roleRef")))
              .withSubjects(subjects(map))
              .build();
      default ->
          new ClusterRoleBindingBuilder()
              .withMetadata(meta)
              .withRoleRef(roleRef((Map<?, ?>) map.get("roleRef")))
              .withSubjects(subjects(map))
              .build();
    };
  }

  private static ObjectMeta meta(Map<?, ?> m) {
    if (m == null) {
      return new ObjectMeta();
    }
    return new ObjectMetaBuilder()
        .withName((String) m.get("name"))
        .withNamespace((String) m.get("namespace"))
        .withLabels(stringMap(m.get("labels")))
        .withAnnotations(stringMap(m.get("annotations")))
        .build();
  }

  private static List<PolicyRule> rules(Map<?, ?> map) {
    List<PolicyRule> rules = new ArrayList<>();
    for (Object o : list(map.get("rules"))) {
      Map<?, ?> r = (Map<?, ?>) o;
      rules.add(
          new PolicyRuleBuilder()
              .withApiGroups(strings(r.get("apiGroups")))
              .withResources(strings(r.get("resources")))
              .withResourceNames(strings(r.get("resourceNames")))
              .withNonResourceURLs(strings(r.get("nonResourceURLs")))
              .withVerbs(strings(r.get("verbs")))
              .build());
    }
    return rules;
  }

  private static AggregationRule aggregation(Map<?, ?> m) {
    if (m == null) {
      return null;
    }
    List<LabelSelector> selectors = new ArrayList<>();
    for (Object o : list(m.get("clusterRoleSelectors"))) {
      Map<?, ?> s = (Map<?, ?>) o;
      List<LabelSelectorRequirement> expressions = new ArrayList<>();
      for (Object x : list(s.get("matchExpressions"))) {
        Map<?, ?> e = (Map<?, ?>) x;
        expressions.add(
            new LabelSelectorRequirementBuilder()
                .withKey((String) e.get("key"))
                .withOperator((String) e.get("operator"))
                .withValues(strings(e.get("values")))
                .build());
      }
      selectors.add(
          new LabelSelectorBuilder()
              .withMatchLabels(stringMap(s.get("matchLabels")))
              .withMatchExpressions(expressions)
              .build());
    }
    return new AggregationRuleBuilder().withClusterRoleSelectors(selectors).build();
  }

  private static RoleRef roleRef(Map<?, ?> m) {
    if (m == null) {
      return null;
    }
    return new RoleRefBuilder()
        .withApiGroup((String) m.get("apiGroup"))
        .withKind((String) m.get("kind"))
        .withName((String) m.get("name"))
        .build();
  }

  private static List<Subject> subjects(Map<?, ?> map) {
    List<Subject> subjects = new ArrayList<>();
    for (Object o : list(map.get("subjects"))) {
      Map<?, ?> s = (Map<?, ?>) o;
      subjects.add(
          new SubjectBuilder()
              .withApiGroup((String) s.get("apiGroup"))
              .withKind((String) s.get("kind"))
              .withName((String) s.get("name"))
              .withNamespace((String) s.get("namespace"))
              .build());
    }
    return subjects;
  }

  private static List<?> list(Object o) {
    return o == null ? List.of() : (List<?>) o;
  }

  private static List<String> strings(Object o) {
    if (o == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object item : (List<?>) o) {
      out.add(String.valueOf(item));
    }
    return out;
  }

  private static Map<String, String> stringMap(Object o) {
    if (o == null) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    ((Map<?, ?>) o).forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    return out;
  }
}
