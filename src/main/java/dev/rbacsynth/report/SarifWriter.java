package dev.rbacsynth.report;

import dev.rbacsynth.read.ManifestPositions.Location;
import dev.rbacsynth.review.Baseline;
import dev.rbacsynth.review.Gate;
import dev.rbacsynth.review.Missing;
import dev.rbacsynth.review.ReviewFinding;
import dev.rbacsynth.review.Risk;
import dev.rbacsynth.review.SubjectReview;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code -o sarif} report: SARIF 2.1.0 (OASIS), one run, one result per finding.
 *
 * <ul>
 *   <li>{@code ruleId}: {@code missing}, {@code unused} or {@code risky/<kind>}; the driver lists
 *       every rule id rbac-synth can report, so ids and their indexes never change between runs.
 *   <li>{@code level}: {@code error} for a finding that fails the gate ({@code --fail-on}, not
 *       baselined), {@code warning} for other missing and risky findings, {@code note} for unused.
 *   <li>{@code locations}: the {@code --rbac} file (relative to the working directory, so run from
 *       the repository root) and the line of the rule, or of the binding subject for a missing
 *       request; none when the RBAC came from standard input.
 *   <li>{@code partialFingerprints["rbacSynthFinding/v1"]}: {@link ReviewFinding#fingerprint()},
 *       the same across runs while the finding is the same (lines, counts and times aside).
 *   <li>a baselined finding carries an external {@code suppressions} entry with the baseline's
 *       reason.
 *   <li>{@code properties}: {@code subject} and {@code gate}; a missing request adds {@code count},
 *       {@code deniedCount}, {@code lastDenied} (when the log shows a denial), {@code transient}
 *       and {@code allowedLater} (when it was allowed after its last denial).
 * </ul>
 */
public final class SarifWriter {

  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  static final String FINGERPRINT = "rbacSynthFinding/v1";

  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private SarifWriter() {}

  /** Every rule id, in a fixed order. */
  static List<String> ruleIds() {
    List<String> ids = new ArrayList<>(List.of("missing", "unused"));
    Risk.kinds().forEach(k -> ids.add(ReviewFinding.riskyRuleId(k)));
    return ids;
  }

  public static String render(
      List<SubjectReview> reviews,
      FindingLocations locations,
      Gate gate,
      ObservationWindow window,
      String version) {
    List<String> ids = ruleIds();
    List<Map<String, Object>> results = new ArrayList<>();
    for (SubjectReview review : reviews) {
      for (ReviewFinding f : ReviewFinding.of(review)) {
        results.add(result(f, review, ids, locations, gate, window));
      }
    }
    Map<String, Object> driver = new LinkedHashMap<>();
    driver.put("name", "rbac-synth");
    driver.put("version", version);
    driver.put("semanticVersion", version.replaceAll("[^0-9A-Za-z.+-]", "-"));
    driver.put("rules", ids.stream().map(SarifWriter::rule).toList());
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("tool", Map.of("driver", driver));
    run.put("results", results);
    run.put("columnKind", "unicodeCodePoints");
    // the observation window (from, to, seconds, events, clusters, minWindowSeconds, warning)
    run.put("properties", Map.of("observationWindow", window.json()));
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("$schema", SCHEMA);
    root.put("version", "2.1.0");
    root.put("runs", List.of(run));
    return MAPPER.writeValueAsString(root) + "\n";
  }

  private static Map<String, Object> result(
      ReviewFinding f,
      SubjectReview review,
      List<String> ids,
      FindingLocations locations,
      Gate gate,
      ObservationWindow window) {
    Gate.Verdict verdict = gate.verdict(f);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ruleId", f.ruleId());
    m.put("ruleIndex", ids.indexOf(f.ruleId()));
    m.put(
        "level",
        verdict.fails()
            ? "error"
            : switch (f.kind()) {
              case MISSING, RISKY -> "warning";
              case UNUSED -> "note";
            });
    m.put("message", Map.of("text", FindingText.message(f, review, window)));
    Optional<Location> at = locations.of(f, review);
    if (at.isPresent()) {
      Map<String, Object> physical = new LinkedHashMap<>();
      physical.put("artifactLocation", Map.of("uri", FindingLocations.uri(at.get().file())));
      physical.put("region", Map.of("startLine", at.get().line()));
      m.put("locations", List.of(Map.of("physicalLocation", physical)));
    }
    m.put("partialFingerprints", Map.of(FINGERPRINT, f.fingerprint()));
    Optional<Baseline.Entry> entry = gate.baselineEntry(f);
    if (entry.isPresent() && !entry.get().expiredOn(gate.today())) {
      Map<String, Object> suppression = new LinkedHashMap<>();
      suppression.put("kind", "external");
      if (!entry.get().reason().isEmpty()) {
        suppression.put("justification", entry.get().reason());
      }
      m.put("suppressions", List.of(suppression));
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("subject", f.subject().describe());
    properties.put("gate", verdict.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    if (f.missing() != null) {
      // the facts of the JSON report's missing entries that a code-scanning triage needs
      Missing x = f.missing();
      properties.put("count", x.count());
      properties.put("deniedCount", x.deniedCount());
      if (x.lastDenied() != null) {
        properties.put("lastDenied", x.lastDenied().toString());
      }
      properties.put("transient", x.transientDenial());
      if (x.allowedLater() != null) {
        properties.put("allowedLater", x.allowedLater().toString());
      }
    }
    m.put("properties", properties);
    return m;
  }

  private static Map<String, Object> rule(String id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    String[] text = describe(id);
    m.put("name", text[0]);
    m.put("shortDescription", Map.of("text", text[1]));
    m.put("fullDescription", Map.of("text", text[2]));
    m.put(
        "defaultConfiguration",
        Map.of("level", id.equals("unused") ? "note" : id.equals("missing") ? "error" : "warning"));
    m.put("properties", Map.of("tags", List.of("security", "kubernetes", "rbac")));
    return m;
  }

  /** Name, short and full description of a rule id. */
  private static String[] describe(String id) {
    if (id.equals("missing")) {
      return new String[] {
        "MissingPermission",
        "An observed request the RBAC does not allow",
        "The audit log shows the subject making this request (or a check it implies), and the "
            + "given RBAC does not allow it: applying these manifests would make the request fail."
      };
    }
    if (id.equals("unused")) {
      return new String[] {
        "UnusedGrant",
        "A granted permission no observed request used",
        "The rule reaches the subject through a binding, but no request in the audit log used "
            + "(part of) it. Unused is relative to the log's window: rare paths (leader "
            + "failover, status updates) may not show in a short log."
      };
    }
    String kind = id.substring("risky/".length());
    return new String[] {
      "Risky" + camel(kind),
      "A dangerous grant: " + kind,
      "The rule gives the subject a permission that is dangerous whether it is used or not ("
          + kind
          + "). The result's message says why for this rule."
    };
  }

  private static String camel(String kebab) {
    StringBuilder s = new StringBuilder();
    boolean upper = true;
    for (char c : kebab.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        s.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return s.toString();
  }
}
