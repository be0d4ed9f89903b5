package dev.rbacsynth.report;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.aggregate.OutcomeStats;
import dev.rbacsynth.aggregate.Usage;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.write.JsonOutput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The requests that were denied, one entry per distinct permission and kind of denial: {@code rbac}
 * (the authorizer said no; the generated RBAC grants it), {@code after-authorization} (RBAC allowed
 * the logged verb, then admission or a hidden check refused it; RBAC for that verb will not help)
 * or {@code refused} (rbac-synth refused to grant it whatever its outcome: a literal {@code *} or
 * an empty name that RBAC would read as any; the note says why).
 *
 * <p>A denial is <em>transient</em> when the same request was allowed later in the log, after its
 * last denial ({@link Usage#allowedAfter}, the definition diff's missing requests share). Transient
 * denials are listed apart from lasting ones.
 */
public final class DeniedReport {

  /** One denied permission. */
  public record Entry(
      RequestAttributes request,
      String denial,
      long count,
      Instant first,
      Instant last,
      String note,
      Instant allowedLater) {

    Entry(
        RequestAttributes request,
        String denial,
        long count,
        Instant first,
        Instant last,
        String note) {
      this(request, denial, count, first, last, note, null);
    }

    /** Allowed later in the log, after the last denial: a start-up race, not a lasting lack. */
    public boolean transientDenial() {
      return allowedLater != null;
    }
  }

  static final String REFUSED = "refused";

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
    usage
        .refusedRequests()
        .forEach(
            (request, use) -> {
              OutcomeStats s = use.total();
              entries.add(
                  new Entry(request, REFUSED, s.count(), s.first(), s.last(), use.implication()));
            });
    // lasting denials first, then the transient ones, each in the order collected
    List<Entry> ordered = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      if (!e.transientDenial()) {
        ordered.add(e);
      }
    }
    for (Entry e : entries) {
      if (e.transientDenial()) {
        ordered.add(e);
      }
    }
    return new DeniedReport(subject, ordered);
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
      entries.add(
          new Entry(
              r,
              denial,
              s.count(),
              s.first(),
              s.last(),
              use.implication(),
              use.allowedAfter(outcome)));
    }
  }

  public List<Entry> entries() {
    return entries;
  }

  public long count(String denial) {
    long n = 0;
    for (Entry e : entries) {
      n += e.denial().equals(denial) ? e.count() : 0;
    }
    return n;
  }

  /** Denied requests (counted per event) that were allowed later in the log. */
  public long transientCount() {
    long n = 0;
    for (Entry e : entries) {
      n += e.transientDenial() ? e.count() : 0;
    }
    return n;
  }

  /** One line for stderr. */
  public String summary() {
    if (entries.isEmpty()) {
      return "denied: none";
    }
    long rbac = count("rbac");
    long after = count("after-authorization");
    long refused = count(REFUSED);
    // concatenation, not String.format: a Formatter's first use loads the locale's number symbols
    return "denied: "
        + (rbac + after + refused)
        + " requests ("
        + entries.size()
        + " distinct permissions): "
        + rbac
        + " by RBAC (granted by the generated roles), "
        + after
        + " after authorization (admission or a hidden check; RBAC for the logged verb will not fix"
        + " them)"
        + (refused == 0
            ? ""
            : ", "
                + refused
                + " refused (never granted: a literal * or an empty name that RBAC would read as"
                + " any)")
        + (transientCount() == 0
            ? ""
            : "; "
                + transientCount()
                + " of them transient ("
                + entries.stream().filter(Entry::transientDenial).count()
                + " distinct: allowed later in the log, a start-up race, not a lasting lack)");
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
      m.putAll(RequestJson.of(r));
      m.put("denial", e.denial());
      m.put("count", e.count());
      m.put("firstSeen", e.first() == null ? null : e.first().toString());
      m.put("lastSeen", e.last() == null ? null : e.last().toString());
      m.put("transient", e.transientDenial());
      m.put("allowedLater", e.allowedLater() == null ? null : e.allowedLater().toString());
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
    summary.put("refused", count(REFUSED));
    summary.put("transient", transientCount());
    summary.put("distinct", entries.size());
    root.put("summary", summary);
    return JsonOutput.write(root);
  }

  String markdown() {
    StringBuilder s = new StringBuilder("# Denied requests: ").append(subject).append("\n\n");
    if (entries.isEmpty()) {
      return s.append("No request was denied.\n").toString();
    }
    List<Entry> lasting = entries.stream().filter(e -> !e.transientDenial()).toList();
    List<Entry> passing = entries.stream().filter(Entry::transientDenial).toList();
    if (!lasting.isEmpty()) {
      markdownTable(s.append(passing.isEmpty() ? "" : "## Lasting denials\n\n"), lasting, false);
    }
    if (!passing.isEmpty()) {
      s.append("## Transient denials\n\nAllowed later in the log, after the last denial: start-up")
          .append(" races while caches warm, not a lasting lack.\n\n");
      markdownTable(s, passing, true);
    }
    return s.append(summary()).append('\n').toString();
  }

  private void markdownTable(StringBuilder s, List<Entry> list, boolean allowedColumn) {
    boolean why = list.stream().anyMatch(e -> e.denial().equals(REFUSED));
    s.append("| denial | request | count | first seen | last seen |")
        .append(allowedColumn ? " allowed at |" : "")
        .append(why ? " why |" : "")
        .append("\n|---|---|---:|---|---|")
        .append(allowedColumn ? "---|" : "")
        .append(why ? "---|" : "")
        .append('\n');
    for (Entry e : list) {
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
          .append(" |");
      if (allowedColumn) {
        s.append(' ').append(time(e.allowedLater())).append(" |");
      }
      if (why) {
        s.append(' ').append(refusedWhy(e).replace("|", "\\|")).append(" |");
      }
      s.append('\n');
    }
    s.append('\n');
  }

  String text() {
    List<Entry> lasting = entries.stream().filter(e -> !e.transientDenial()).toList();
    List<Entry> passing = entries.stream().filter(Entry::transientDenial).toList();
    StringBuilder out = new StringBuilder();
    if (!lasting.isEmpty() || passing.isEmpty()) {
      out.append(textTable(lasting, false));
    }
    if (!passing.isEmpty()) {
      if (!lasting.isEmpty()) {
        out.append('\n');
      }
      out.append("TRANSIENT: allowed later in the log (start-up races while caches warm)\n")
          .append(textTable(passing, true));
    }
    return out.append(summary()).append('\n').toString();
  }

  private static String textTable(List<Entry> list, boolean allowedColumn) {
    boolean why = list.stream().anyMatch(e -> e.denial().equals(REFUSED));
    List<String[]> rows = new ArrayList<>();
    List<String> header =
        new ArrayList<>(List.of("DENIAL", "REQUEST", "COUNT", "FIRST SEEN", "LAST SEEN"));
    if (allowedColumn) {
      header.add("ALLOWED AT");
    }
    if (why) {
      header.add("WHY");
    }
    rows.add(header.toArray(String[]::new));
    for (Entry e : list) {
      List<String> row =
          new ArrayList<>(
              List.of(
                  e.denial(),
                  e.request().describe(),
                  Long.toString(e.count()),
                  time(e.first()),
                  time(e.last())));
      if (allowedColumn) {
        row.add(time(e.allowedLater()));
      }
      if (why) {
        row.add(refusedWhy(e));
      }
      rows.add(row.toArray(String[]::new));
    }
    return TextTable.render(rows);
  }

  private static String refusedWhy(Entry e) {
    return e.denial().equals(REFUSED) ? e.note() : "";
  }

  private static String time(Instant t) {
    return t == null ? "-" : t.toString();
  }
}
