package dev.rbacsynth.report;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.aggregate.OutcomeStats;
import dev.rbacsynth.aggregate.Usage;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.RequestAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The requests that were denied, one entry per distinct permission and kind of denial: {@code rbac}
 * (the authorizer said no; the generated RBAC grants it) or {@code after-authorization} (RBAC
 * allowed the logged verb, then admission or a hidden check refused it; RBAC for that verb will not
 * help).
 */
public final class DeniedReport {

  /** One denied permission. */
  public record Entry(
      RequestAttributes request,
      String denial,
      long count,
      Instant first,
      Instant last,
      String note) {}

  private final String subject;
  private final List<Entry> entries;

  private DeniedReport(String subject, List<Entry> entries) {
    this.subject = subject;
    this.entries = List.copyOf(entries);
  }

  public static DeniedReport of(String subject, ObservedUsage usage) {
    List<Entry> entries = new ArrayList<>();
    collect(usage.requests(), entries);
    collect(usage.skippedRequests(), entries);
    return new DeniedReport(subject, entries);
  }

  private static void collect(Map<RequestAttributes, Usage> requests, List<Entry> entries) {
    requests.forEach(
        (request, use) -> {
          add(entries, request, use, Outcome.RBAC_DENIED, "rbac");
          add(entries, request, use, Outcome.REJECTED_AFTER_AUTHORIZATION, "after-authorization");
        });
  }

  private static void add(
      List<Entry> entries, RequestAttributes r, Usage use, Outcome outcome, String denial) {
    if (use.seen(outcome)) {
      OutcomeStats s = use.stats(outcome);
      entries.add(new Entry(r, denial, s.count(), s.first(), s.last(), use.implication()));
    }
  }

  public List<Entry> entries() {
    return entries;
  }

  public long count(String denial) {
    return entries.stream().filter(e -> e.denial().equals(denial)).mapToLong(Entry::count).sum();
  }

  /** One line for stderr. */
  public String summary() {
    if (entries.isEmpty()) {
      return "denied: none";
    }
    long rbac = count("rbac");
    long after = count("after-authorization");
    return String.format(
        Locale.ROOT,
        "denied: %d requests (%d distinct permissions): %d by RBAC (granted by the generated roles), %d after "
            + "authorization (admission or a hidden check; RBAC for the logged verb will not fix them)",
        rbac + after,
        entries.size(),
        rbac,
        after);
  }

  /** Renders by file extension: {@code .json}, {@code .md}, otherwise aligned text. */
  public String render(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".json")) {
      return json();
    }
    if (lower.endsWith(".md") || lower.endsWith(".markdown")) {
      return markdown();
    }
    return text();
  }

  String json() {
    List<Map<String, Object>> items = new ArrayList<>();
    for (Entry e : entries) {
      Map<String, Object> m = new LinkedHashMap<>();
      RequestAttributes r = e.request();
      m.put("verb", r.verb());
      if (r.resourceRequest()) {
        m.put("apiGroup", r.apiGroup());
        m.put("resource", r.resource());
        m.put("subresource", r.subresource());
        m.put("namespace", r.namespace());
        m.put("name", r.name());
      } else {
        m.put("url", r.path());
      }
      m.put("denial", e.denial());
      m.put("count", e.count());
      m.put("firstSeen", e.first() == null ? null : e.first().toString());
      m.put("lastSeen", e.last() == null ? null : e.last().toString());
      if (!e.note().isEmpty()) {
        m.put("note", e.note());
      }
      items.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("subject", subject);
    root.put("denied", items);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("rbac", count("rbac"));
    summary.put("afterAuthorization", count("after-authorization"));
    summary.put("distinct", entries.size());
    root.put("summary", summary);
    return JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(EnumFeature.WRITE_ENUMS_USING_TO_STRING)
            .build()
            .writeValueAsString(root)
        + "\n";
  }

  String markdown() {
    StringBuilder s = new StringBuilder("# Denied requests: ").append(subject).append("\n\n");
    if (entries.isEmpty()) {
      return s.append("No request was denied.\n").toString();
    }
    s.append("| denial | request | count | first seen | last seen |\n|---|---|---:|---|---|\n");
    for (Entry e : entries) {
      s.append("| ")
          .append(e.denial())
          .append(" | `")
          .append(e.request().describe().replace("|", "\\|"))
          .append("` | ")
          .append(e.count())
          .append(" | ")
          .append(time(e.first()))
          .append(" | ")
          .append(time(e.last()))
          .append(" |\n");
    }
    return s.append('\n').append(summary()).append('\n').toString();
  }

  String text() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"DENIAL", "REQUEST", "COUNT", "FIRST SEEN", "LAST SEEN"});
    for (Entry e : entries) {
      rows.add(
          new String[] {
            e.denial(),
            e.request().describe(),
            Long.toString(e.count()),
            time(e.first()),
            time(e.last())
          });
    }
    return TextTable.render(rows) + summary() + "\n";
  }

  private static String time(Instant t) {
    return t == null ? "-" : t.toString();
  }
}
