package dev.rbacsynth.report;

import dev.rbacsynth.review.Baseline;
import dev.rbacsynth.review.ReviewFinding;
import dev.rbacsynth.review.SubjectReview;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The file {@code diff --write-baseline} writes (the format {@link Baseline} reads): every finding
 * of the run, sorted by rule id, subject and fingerprint. A finding already in the given {@code
 * --baseline} keeps its reason and expiry date, so rewriting a baseline does not lose waivers.
 */
public final class BaselineWriter {
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private BaselineWriter() {}

  public static String render(List<SubjectReview> reviews, Baseline previous) {
    List<Map<String, Object>> entries = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (SubjectReview review : reviews) {
      for (ReviewFinding f : ReviewFinding.of(review)) {
        if (!seen.add(f.fingerprint())) {
          continue;
        }
        Optional<Baseline.Entry> old = previous.entry(f.fingerprint());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", f.fingerprint());
        m.put("ruleId", f.ruleId());
        m.put("subject", f.subject().describe());
        m.put("finding", FindingText.title(f));
        m.put("reason", old.map(Baseline.Entry::reason).orElse(""));
        m.put("expires", old.map(Baseline.Entry::expires).map(Object::toString).orElse(""));
        entries.add(m);
      }
    }
    entries.sort(
        Comparator.comparing((Map<String, Object> m) -> (String) m.get("ruleId"))
            .thenComparing(m -> (String) m.get("subject"))
            .thenComparing(m -> (String) m.get("fingerprint")));
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", 1);
    root.put("findings", entries);
    return MAPPER.writeValueAsString(root) + "\n";
  }
}
