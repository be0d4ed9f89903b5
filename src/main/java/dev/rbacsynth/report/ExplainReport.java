package dev.rbacsynth.report;

import dev.rbacsynth.aggregate.Usage;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.generate.Generator;
import dev.rbacsynth.kube.Subject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code generate --explain}: for each generated rule, the observed requests behind it (verb,
 * resource, namespace, name, count, first and last seen, a sample audit ID) and the expansions
 * (names, namespaces, verbs) that widened it. The format follows the file name: {@code .json},
 * {@code .md}, otherwise an aligned text table.
 *
 * <pre>
 * JSON = {"observation": {...as in diff...},
 *         "subjects": [{"subject": "serviceaccount ns/name", "rules": [
 *           {"roleKind", "namespace" ("" for the ClusterRole), "roleName", "ruleIndex",
 *            "rule": {"apiGroups", "resources", "resourceNames", "nonResourceURLs", "verbs"},
 *            "expansions": ["names" | "namespaces" | "verbs"],
 *            "requests": [{"verb", "apiGroup", "resource", "subresource", "namespace", "name",
 *                          "nonResourceURL", "count", "firstSeen", "lastSeen", "sampleAuditID",
 *                          "widenedBy": ["namespaces", ...], "widening" (in words, "" if none)}]}]}]}
 * </pre>
 */
public final class ExplainReport {
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /** One subject's generated RBAC with the usage it came from. */
  public record Explained(
      Subject subject, Generator.Generated generated, Map<RequestAttributes, Usage> usage) {}

  private ExplainReport() {}

  public static String render(List<Explained> all, ObservationWindow window, String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) {
      return json(all, window);
    }
    return name.endsWith(".md") ? markdown(all, window) : text(all, window);
  }

  private static String where(Generator.RuleEvidence e) {
    return e.roleKind()
        + " "
        + (e.namespace().isEmpty() ? "" : e.namespace() + "/")
        + e.roleName()
        + " rules["
        + e.index()
        + "]";
  }

  static String text(List<Explained> all, ObservationWindow window) {
    StringBuilder out = new StringBuilder();
    out.append("OBSERVED: ").append(window.header()).append('\n');
    if (window.isShort()) {
      out.append("WARNING: ").append(window.warning()).append('\n');
    }
    for (Explained x : all) {
      out.append("\nSUBJECT: ").append(x.subject().describe()).append('\n');
      List<Generator.RuleEvidence> evidence = x.generated().evidence();
      if (evidence.isEmpty()) {
        out.append("(no rule: the default grants allow every observed request)\n");
      }
      for (Generator.RuleEvidence e : evidence) {
        out.append('\n')
            .append(where(e))
            .append(": ")
            .append(ReviewText.rule(e.rule()))
            .append('\n');
        out.append("  expansions: ")
            .append(e.expansions().isEmpty() ? "none" : String.join(", ", e.expansions()))
            .append('\n');
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[Evidence.HEADER.length + 1];
        System.arraycopy(Evidence.HEADER, 0, header, 0, Evidence.HEADER.length);
        header[Evidence.HEADER.length] = "WIDENED BY";
        rows.add(header);
        for (RequestAttributes r : e.requests()) {
          String[] row = Evidence.row(r, x.usage().get(r));
          String[] full = new String[row.length + 1];
          System.arraycopy(row, 0, full, 0, row.length);
          full[row.length] = x.generated().policy().widening(r).describe();
          rows.add(full);
        }
        TextTable.render(rows).lines().forEach(line -> out.append("  ").append(line).append('\n'));
      }
    }
    return out.toString();
  }

  static String markdown(List<Explained> all, ObservationWindow window) {
    StringBuilder out = new StringBuilder("# rbac-synth generate: evidence per rule\n\n");
    out.append("Observed ").append(Markdown.escape(window.header())).append(".\n\n");
    if (window.isShort()) {
      out.append("> **Warning:** ").append(Markdown.escape(window.warning())).append("\n\n");
    }
    for (Explained x : all) {
      out.append("## ").append(Markdown.escape(x.subject().describe())).append("\n\n");
      List<Generator.RuleEvidence> evidence = x.generated().evidence();
      if (evidence.isEmpty()) {
        out.append("No rule: the default grants allow every observed request.\n\n");
      }
      for (Generator.RuleEvidence e : evidence) {
        out.append("### ")
            .append(Markdown.code(where(e)))
            .append("\n\n")
            .append(Markdown.code(ReviewText.rule(e.rule())))
            .append("; expansions: ")
            .append(e.expansions().isEmpty() ? "none" : String.join(", ", e.expansions()))
            .append("\n\n");
        out.append(
            "| verb | resource | namespace | name | count | first seen | last seen | sample audit ID "
                + "| widened by |\n|---|---|---|---|---:|---|---|---|---|\n");
        for (RequestAttributes r : e.requests()) {
          String[] row = Evidence.row(r, x.usage().get(r));
          out.append('|');
          for (String cell : row) {
            out.append(' ').append(Markdown.escape(cell)).append(" |");
          }
          out.append(' ')
              .append(Markdown.escape(x.generated().policy().widening(r).describe()))
              .append(" |\n");
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  static String json(List<Explained> all, ObservationWindow window) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("observation", window.json());
    List<Object> subjects = new ArrayList<>();
    for (Explained x : all) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("subject", x.subject().describe());
      List<Object> rules = new ArrayList<>();
      for (Generator.RuleEvidence e : x.generated().evidence()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("roleKind", e.roleKind());
        m.put("namespace", e.namespace());
        m.put("roleName", e.roleName());
        m.put("ruleIndex", e.index());
        m.put("rule", DiffJsonWriter.rule(e.rule()));
        m.put("expansions", e.expansions());
        List<Object> requests = new ArrayList<>();
        for (RequestAttributes r : e.requests()) {
          Map<String, Object> q = Evidence.json(r, x.usage().get(r));
          q.put("widenedBy", x.generated().policy().widening(r).kinds());
          q.put("widening", x.generated().policy().widening(r).describe());
          requests.add(q);
        }
        m.put("requests", requests);
        rules.add(m);
      }
      s.put("rules", rules);
      subjects.add(s);
    }
    root.put("subjects", subjects);
    return MAPPER.writeValueAsString(root) + "\n";
  }
}
