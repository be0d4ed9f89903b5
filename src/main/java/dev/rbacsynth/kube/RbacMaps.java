package dev.rbacsynth.kube;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.rbac.AggregationRule;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one mapping between RBAC objects and plain maps (parsed YAML/JSON in, kubectl-style documents
 * out). Only the fields RBAC uses are read: metadata name, namespace, labels and annotations,
 * rules, aggregationRule, roleRef and subjects. Written by hand because reflective binding of the
 * Fabric8 classes dominated start-up and made large manifests slow to read.
 */
public final class RbacMaps {
  private static final String API_VERSION = "rbac.authorization.k8s.io/v1";

  private RbacMaps() {}

  // ---- maps to objects
  // -------------------------------------------------------------------------------------

  /**
   * Reads one RBAC document of the given kind.
   *
   * @throws IllegalArgumentException naming the field that has the wrong type
   */
  public static Object fromMap(String kind, Map<?, ?> map) {
    ObjectMeta meta = meta(map(map, "metadata"));
    switch (kind) {
      case "Role" -> {
        Role role = new Role();
        role.setMetadata(meta);
        role.setRules(rules(map));
        return role;
      }
      case "ClusterRole" -> {
        List<PolicyRule> rules = rules(map);
        AggregationRule aggregation = aggregation(map(map, "aggregationRule"));
        ClusterRole role = new ClusterRole();
        role.setMetadata(meta);
        role.setRules(rules);
        role.setAggregationRule(aggregation);
        return role;
      }
      case "RoleBinding" -> {
        RoleRef ref = roleRef(map(map, "roleRef"));
        RoleBinding binding = new RoleBinding();
        binding.setMetadata(meta);
        binding.setRoleRef(ref);
        binding.setSubjects(subjects(map));
        return binding;
      }
      case "ClusterRoleBinding" -> {
        RoleRef ref = roleRef(map(map, "roleRef"));
        ClusterRoleBinding binding = new ClusterRoleBinding();
        binding.setMetadata(meta);
        binding.setRoleRef(ref);
        binding.setSubjects(subjects(map));
        return binding;
      }
      default -> throw new IllegalArgumentException("not an RBAC kind: " + kind);
    }
  }

  // The objects are made with their no-argument constructors (which set apiVersion, kind, empty
  // lists and an empty map of additional properties) and setters: the same values, equal objects,
  // as Fabric8's builders give, which copy a default instance, copy every list and map given, and
  // on every small run cost the default policy's ten objects and their rules a few milliseconds
  // of interpreted builder code (RbacMapsTest compares both ways on real manifests).

  private static ObjectMeta meta(Map<?, ?> m) {
    ObjectMeta meta = new ObjectMeta();
    if (m == null) {
      return meta;
    }
    meta.setName(string(m, "name"));
    meta.setNamespace(string(m, "namespace"));
    meta.setLabels(stringMap(m, "labels"));
    meta.setAnnotations(stringMap(m, "annotations"));
    return meta;
  }

  private static List<PolicyRule> rules(Map<?, ?> map) {
    List<PolicyRule> rules = new ArrayList<>();
    List<?> list = list(map, "rules");
    for (int i = 0; list != null && i < list.size(); i++) {
      if (!(entry(list, i) instanceof Map<?, ?> r)) {
        throw new IllegalArgumentException("rules[" + i + "] must be a mapping");
      }
      String at = "rules[" + i + "].";
      List<String> apiGroups = strings(r, "apiGroups", at);
      List<String> resources = strings(r, "resources", at);
      List<String> resourceNames = strings(r, "resourceNames", at);
      List<String> nonResourceURLs = strings(r, "nonResourceURLs", at);
      List<String> verbs = strings(r, "verbs", at);
      PolicyRule rule = new PolicyRule();
      rule.setApiGroups(apiGroups);
      rule.setResources(resources);
      rule.setResourceNames(resourceNames);
      rule.setNonResourceURLs(nonResourceURLs);
      rule.setVerbs(verbs);
      rules.add(rule);
    }
    return rules;
  }

  private static AggregationRule aggregation(Map<?, ?> m) {
    if (m == null) {
      return null;
    }
    List<LabelSelector> selectors = new ArrayList<>();
    List<?> list = list(m, "clusterRoleSelectors");
    for (int i = 0; list != null && i < list.size(); i++) {
      if (!(entry(list, i) instanceof Map<?, ?> s)) {
        throw new IllegalArgumentException(
            "aggregationRule.clusterRoleSelectors[" + i + "] must be a mapping");
      }
      List<LabelSelectorRequirement> expressions = new ArrayList<>();
      List<?> exprs = list(s, "matchExpressions");
      for (int j = 0; exprs != null && j < exprs.size(); j++) {
        if (!(entry(exprs, j) instanceof Map<?, ?> e)) {
          throw new IllegalArgumentException("matchExpressions[" + j + "] must be a mapping");
        }
        String key = string(e, "key");
        String operator = string(e, "operator");
        List<String> values = strings(e, "values", "matchExpressions[" + j + "].");
        LabelSelectorRequirement requirement = new LabelSelectorRequirement();
        requirement.setKey(key);
        requirement.setOperator(operator);
        requirement.setValues(values);
        expressions.add(requirement);
      }
      LabelSelector selector = new LabelSelector();
      selector.setMatchLabels(stringMap(s, "matchLabels"));
      selector.setMatchExpressions(expressions);
      selectors.add(selector);
    }
    AggregationRule aggregation = new AggregationRule();
    aggregation.setClusterRoleSelectors(selectors);
    return aggregation;
  }

  private static RoleRef roleRef(Map<?, ?> m) {
    if (m == null) {
      return null;
    }
    RoleRef ref = new RoleRef();
    ref.setApiGroup(string(m, "apiGroup"));
    ref.setKind(string(m, "kind"));
    ref.setName(string(m, "name"));
    return ref;
  }

  private static List<Subject> subjects(Map<?, ?> map) {
    List<Subject> subjects = new ArrayList<>();
    List<?> list = list(map, "subjects");
    for (int i = 0; list != null && i < list.size(); i++) {
      if (!(entry(list, i) instanceof Map<?, ?> s)) {
        throw new IllegalArgumentException("subjects[" + i + "] must be a mapping");
      }
      Subject subject = new Subject();
      subject.setApiGroup(string(s, "apiGroup"));
      subject.setKind(string(s, "kind"));
      subject.setName(string(s, "name"));
      subject.setNamespace(string(s, "namespace"));
      subjects.add(subject);
    }
    return subjects;
  }

  /** A list entry; {@code null} reads as an empty object, as Go's decoder gives the zero value. */
  private static Object entry(List<?> list, int index) {
    Object item = list.get(index);
    return item == null ? Map.of() : item;
  }

  private static Map<?, ?> map(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (v == null || v instanceof Map<?, ?>) {
      return (Map<?, ?>) v;
    }
    throw new IllegalArgumentException(key + " must be a mapping");
  }

  private static List<?> list(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (v == null || v instanceof List<?>) {
      return (List<?>) v;
    }
    throw new IllegalArgumentException(key + " must be a list");
  }

  private static String string(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v
          .toString(); // YAML 1.1 reads an unquoted 1 or true as a non-string; the apiserver takes
      // the text
    }
    throw new IllegalArgumentException(key + " must be a string");
  }

  private static List<String> strings(Map<?, ?> m, String key, String at) {
    List<?> list = list(m, key);
    if (list == null) {
      return null;
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object item : list) {
      if (item instanceof String || item instanceof Number || item instanceof Boolean) {
        out.add(item.toString());
      } else {
        throw new IllegalArgumentException(at + key + " must be a list of strings");
      }
    }
    return out;
  }

  private static Map<String, String> stringMap(Map<?, ?> m, String key) {
    Map<?, ?> map = map(m, key);
    if (map == null) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    map.forEach(
        (k, v) -> {
          if (v != null && !(v instanceof Map<?, ?>) && !(v instanceof List<?>)) {
            out.put(String.valueOf(k), String.valueOf(v));
          } else {
            throw new IllegalArgumentException(key + "." + k + " must be a string");
          }
        });
    return out;
  }

  // ---- objects to maps
  // -------------------------------------------------------------------------------------

  /**
   * The document kubectl would write for a Role, ClusterRole, RoleBinding or ClusterRoleBinding.
   */
  public static Map<String, Object> toMap(Object object) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("apiVersion", API_VERSION);
    if (object instanceof Role r) {
      m.put("kind", "Role");
      m.put("metadata", meta(r.getMetadata()));
      m.put("rules", rules(r.getRules()));
    } else if (object instanceof ClusterRole r) {
      m.put("kind", "ClusterRole");
      m.put("metadata", meta(r.getMetadata()));
      m.put("aggregationRule", aggregation(r.getAggregationRule()));
      m.put("rules", rules(r.getRules()));
    } else if (object instanceof RoleBinding b) {
      m.put("kind", "RoleBinding");
      m.put("metadata", meta(b.getMetadata()));
      m.put("roleRef", roleRef(b.getRoleRef()));
      m.put("subjects", subjects(b.getSubjects()));
    } else if (object instanceof ClusterRoleBinding b) {
      m.put("kind", "ClusterRoleBinding");
      m.put("metadata", meta(b.getMetadata()));
      m.put("roleRef", roleRef(b.getRoleRef()));
      m.put("subjects", subjects(b.getSubjects()));
    } else {
      throw new IllegalArgumentException("not an RBAC object: " + object);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> pruned = (Map<String, Object>) prune(m);
    return pruned;
  }

  /** Drops nulls, empty maps and empty lists, as kubectl's output has none. */
  private static Object prune(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            Object p = prune(v);
            if (p != null) {
              out.put(String.valueOf(k), p);
            }
          });
      return out.isEmpty() ? null : out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object item : list) {
        Object p = prune(item);
        if (p != null) {
          out.add(p);
        }
      }
      return out.isEmpty() ? null : out;
    }
    return value;
  }

  private static Map<String, Object> meta(ObjectMeta meta) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (meta != null) {
      m.put("name", meta.getName());
      m.put("namespace", meta.getNamespace());
      m.put("labels", meta.getLabels());
      m.put("annotations", meta.getAnnotations());
    }
    return m;
  }

  private static List<Object> rules(List<PolicyRule> rules) {
    List<Object> out = new ArrayList<>();
    for (PolicyRule r : rules == null ? List.<PolicyRule>of() : rules) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("apiGroups", r.getApiGroups());
      m.put("nonResourceURLs", r.getNonResourceURLs());
      m.put("resourceNames", r.getResourceNames());
      m.put("resources", r.getResources());
      m.put("verbs", r.getVerbs() == null ? List.of() : r.getVerbs());
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> aggregation(AggregationRule rule) {
    if (rule == null) {
      return null;
    }
    List<Object> selectors = new ArrayList<>();
    for (LabelSelector s : rule.getClusterRoleSelectors()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("matchLabels", s.getMatchLabels());
      List<Object> expressions = new ArrayList<>();
      for (LabelSelectorRequirement e : s.getMatchExpressions()) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("key", e.getKey());
        x.put("operator", e.getOperator());
        x.put("values", e.getValues());
        expressions.add(x);
      }
      m.put("matchExpressions", expressions);
      selectors.add(m);
    }
    return Map.of("clusterRoleSelectors", selectors);
  }

  private static Map<String, Object> roleRef(RoleRef ref) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (ref != null) {
      m.put("apiGroup", ref.getApiGroup());
      m.put("kind", ref.getKind());
      m.put("name", ref.getName());
    }
    return m;
  }

  private static List<Object> subjects(List<Subject> subjects) {
    List<Object> out = new ArrayList<>();
    for (Subject s : subjects == null ? List.<Subject>of() : subjects) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("apiGroup", s.getApiGroup());
      m.put("kind", s.getKind());
      m.put("name", s.getName());
      m.put("namespace", s.getNamespace());
      out.add(m);
    }
    return out;
  }
}
