package dev.rbacsynth.ledger;

import dev.rbacsynth.aggregate.RequestUse;
import dev.rbacsynth.attributes.Interpretation;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.event.Stage;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.read.JsonProblems;
import dev.rbacsynth.read.Timestamps;
import dev.rbacsynth.write.OutputTarget;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * The ledger's JSON form ({@code apiVersion: rbac-synth.dev/v1alpha4}, {@code kind: UsageLedger}):
 * sorted, indented down to one line per request row, subject day, source and open request, with no
 * wall-clock time, so the same ledger always gives the same bytes and a changed row is a changed
 * line in a diff. Written and read as a token stream (no tree: a ledger of a large log holds
 * hundreds of thousands of rows). Files ending in {@code .gz} are gzipped (reading detects gzip by
 * its magic bytes); writing is atomic.
 */
public final class LedgerJson {
  /** Root values follow each other with nothing between: the layout is written around them. */
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .rootValueSeparator("")
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .build();

  private static final Outcome[] OUTCOMES = Outcome.values();

  private LedgerJson() {}

  // ---------------------------------------------------------------- writing

  public static byte[] toBytes(Ledger ledger) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    try {
      write(ledger, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static String toJson(Ledger ledger) {
    return new String(toBytes(ledger), StandardCharsets.UTF_8);
  }

  /**
   * Writes through {@link OutputTarget}: atomically, following a symbolic link, a FIFO or device
   * written directly, so an interrupted write leaves the previous file as it was. {@code .gz}
   * compresses.
   */
  public static void write(Ledger ledger, Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    boolean gzip = abs.getFileName().toString().endsWith(".gz");
    try {
      OutputTarget.writeStreamed(
          file,
          out -> {
            if (gzip) {
              GZIPOutputStream z = new GZIPOutputStream(out, 1 << 16);
              write(ledger, z);
              z.finish();
            } else {
              write(ledger, out);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Writes the ledger's JSON (and a final newline) to {@code out}, which is not closed. */
  public static void write(Ledger l, OutputStream out) throws IOException {
    write(l, out, PARALLEL_ROWS, FRAGMENTS_A_TASK);
  }

  /**
   * {@link #write(Ledger, OutputStream)}, its subjects and open requests rendered on several
   * threads from {@code parallelRows} request rows (open requests) on, {@code fragmentsATask} open
   * requests a task.
   */
  static void write(Ledger l, OutputStream out, long parallelRows, int fragmentsATask)
      throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
      g.writeRaw("{\n  \"apiVersion\": ");
      g.writeString(Ledger.API_VERSION);
      g.writeRaw(",\n  \"kind\": ");
      g.writeString(Ledger.KIND);
      Observation o = l.observation();
      g.writeRaw(",\n  \"observation\": {");
      String sep = "\n    ";
      if (o.from() != null) {
        g.writeRaw(sep + "\"from\": ");
        g.writeString(Timestamps.format(o.from()));
        sep = ",\n    ";
      }
      if (o.to() != null) {
        g.writeRaw(sep + "\"to\": ");
        g.writeString(Timestamps.format(o.to()));
        sep = ",\n    ";
      }
      g.writeRaw(sep + "\"events\": " + o.events());
      g.writeRaw(",\n    \"badRecords\": " + o.badRecords());
      if (!o.scope().isAll()) {
        // only collected with a subject flag or -n: what readers may ask of it
        g.writeRaw(",\n    \"scope\": ");
        g.writeStartObject();
        for (Map.Entry<String, String> field : o.scope().fields().entrySet()) {
          g.writeStringProperty(field.getKey(), field.getValue());
        }
        g.writeEndObject();
      }
      g.writeRaw(",\n    \"days\": [");
      lines(g, "      ", o.eventsByDay().entrySet(), e -> dayEvents(g, e));
      g.writeRaw("],\n    \"clusters\": [");
      lines(
          g,
          "      ",
          o.clusters().entrySet(),
          e -> {
            Observation.Window w = e.getValue();
            g.writeStartObject();
            g.writeStringProperty("name", e.getKey());
            time(g, "from", w.from());
            time(g, "to", w.to());
            g.writeNumberProperty("events", w.events());
            if (!w.eventsByDay().isEmpty()) {
              // only when the ledger holds more than one cluster (else they are the ledger's)
              g.writeName("days");
              g.writeStartArray();
              for (Map.Entry<Long, Long> d : w.eventsByDay().entrySet()) {
                dayEvents(g, d);
              }
              g.writeEndArray();
            }
            g.writeEndObject();
          });
      g.writeRaw("],\n    \"sources\": [");
      lines(
          g,
          "      ",
          o.sources(),
          s -> {
            g.writeStartObject();
            g.writeStringProperty("fingerprint", s.fingerprint());
            g.writeNumberProperty("fingerprintBytes", s.fingerprintBytes());
            g.writeStringProperty("name", s.name());
            g.writeNumberProperty("events", s.events());
            g.writeName("ranges");
            g.writeStartArray();
            for (Source.Range r : s.ranges()) {
              g.writeStartArray();
              g.writeNumber(r.start());
              g.writeNumber(r.end());
              g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
          });
      Tables t = Tables.of(l);
      g.writeRaw("]\n  },\n  \"userAgents\": [");
      lines(g, "    ", t.userAgents, g::writeString);
      g.writeRaw("],\n  \"groupSets\": [");
      lines(g, "    ", t.groupSets, set -> strings(g, set));
      subjectsAndPending(g, out, l, t, parallelRows, fragmentsATask);
      g.writeRaw("]\n}\n");
    }
  }

  /** From this many request rows (or open requests) on, a section is rendered on the cores. */
  private static final int PARALLEL_ROWS = 20_000;

  /** Open requests rendered in one task. */
  private static final int FRAGMENTS_A_TASK = 2_000;

  /** Tasks rendered ahead of the one being written, at most (bounds the bytes held). */
  private static final int AHEAD = 2;

  private interface Render<T> {
    void write(JsonGenerator g, T t) throws IOException;
  }

  /** One {@code {day, events}} object of a {@code days} array. */
  private static void dayEvents(JsonGenerator g, Map.Entry<Long, Long> day) throws IOException {
    g.writeStartObject();
    g.writeStringProperty("day", Days.format(day.getKey()));
    g.writeNumberProperty("events", day.getValue());
    g.writeEndObject();
  }

  /**
   * The subjects and the open requests, as {@link #lines} writes them. In a large ledger they are
   * rendered on the cores, in tasks of one subject or {@code fragmentsATask} open requests, into
   * byte arrays by generators of the same factory (each item's JSON depends on the item and the
   * tables alone), and written in their order: the same bytes, in a fraction of the time (rendering
   * a 60 MB ledger was a sixth of {@code collect}'s CPU, on one core).
   */
  private static void subjectsAndPending(
      JsonGenerator g, OutputStream out, Ledger l, Tables t, long parallelRows, int fragmentsATask)
      throws IOException {
    long rows = 0;
    for (SubjectUsage u : l.subjects().values()) {
      rows += u.requestCount();
    }
    int cores = Runtime.getRuntime().availableProcessors();
    boolean subjectsOnCores = cores > 1 && l.subjects().size() > 1 && rows >= parallelRows;
    boolean pendingOnCores =
        cores > 1 && l.pending().size() > fragmentsATask && l.pending().size() >= parallelRows;
    ExecutorService pool =
        !subjectsOnCores && !pendingOnCores
            ? null
            : Executors.newFixedThreadPool(
                cores,
                r -> {
                  Thread thread = new Thread(r, "ledger-writer");
                  thread.setDaemon(true);
                  return thread;
                });
    try {
      g.writeRaw("],\n  \"subjects\": [");
      Render<SubjectUsage> subject = (gen, u) -> subject(gen, u, "    ", t);
      if (subjectsOnCores) {
        lines(g, out, pool, List.copyOf(l.subjects().values()), 1, subject);
      } else {
        lines(g, "    ", l.subjects().values(), u -> subject.write(g, u));
      }
      g.writeRaw("],\n  \"pending\": [");
      Render<Fragment> fragment = (gen, f) -> fragment(gen, f, t);
      if (pendingOnCores) {
        lines(g, out, pool, List.copyOf(l.pending().values()), fragmentsATask, fragment);
      } else {
        lines(g, "    ", l.pending().values(), f -> fragment.write(g, f));
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  /** {@link #lines} at the indent of a top-level section, rendered on {@code pool}. */
  private static <T> void lines(
      JsonGenerator g,
      OutputStream out,
      ExecutorService pool,
      List<T> items,
      int itemsATask,
      Render<T> render)
      throws IOException {
    int tasks = (items.size() + itemsATask - 1) / itemsATask;
    List<Future<byte[]>> rendered = new ArrayList<>(tasks);
    int next = 0;
    for (int i = 0; i < tasks; i++) {
      for (; next < tasks && next < i + AHEAD; next++) {
        int from = next * itemsATask;
        int to = Math.min(items.size(), from + itemsATask);
        rendered.add(pool.submit(() -> rendered(items, from, to, render)));
      }
      g.flush();
      out.write(done(rendered.get(i)));
      rendered.set(i, null);
    }
    if (!items.isEmpty()) {
      g.writeRaw("\n  ");
    }
  }

  /** Items {@code [from, to)} with the separators before each, as {@link #lines} writes them. */
  private static <T> byte[] rendered(List<T> items, int from, int to, Render<T> render)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), bytes)) {
      for (int i = from; i < to; i++) {
        g.writeRaw(i == 0 ? "\n    " : ",\n    ");
        render.write(g, items.get(i));
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] done(Future<byte[]> f) throws IOException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing the ledger", e);
    }
  }

  private interface Item<T> {
    void write(T t) throws IOException;
  }

  /** Items one per line at {@code indent}, the closing bracket on a line of its own. */
  private static <T> void lines(JsonGenerator g, String indent, Collection<T> items, Item<T> item)
      throws IOException {
    boolean first = true;
    for (T t : items) {
      g.writeRaw(first ? "\n" + indent : ",\n" + indent);
      first = false;
      item.write(t);
    }
    if (!first) {
      g.writeRaw("\n" + indent.substring(2));
    }
  }

  /**
   * The strings a ledger repeats on many rows, written once as tables that rows refer to by index:
   * the user agents and the group sets. Both sorted (a group set as its sorted list), so the tables
   * and the indexes depend on the ledger's content alone, not on the order it was merged in.
   */
  private static final class Tables {
    private static final Comparator<List<String>> SETS =
        (a, b) -> {
          for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
              return c;
            }
          }
          return Integer.compare(a.size(), b.size());
        };

    final List<String> userAgents;
    final List<List<String>> groupSets;
    private final HashMap<String, Integer> agentIndex = new HashMap<>();
    private final HashMap<Set<String>, Integer> setIndex = new HashMap<>();

    // the sets of a ledger are mostly the few interned ones: known by identity before equality
    private final IdentityHashMap<Set<String>, Integer> setByIdentity = new IdentityHashMap<>();

    private Tables(HashSet<String> agents, HashSet<Set<String>> sets) {
      List<String> sortedAgents = new ArrayList<>(agents);
      Collections.sort(sortedAgents);
      userAgents = List.copyOf(sortedAgents);
      for (int i = 0; i < userAgents.size(); i++) {
        agentIndex.put(userAgents.get(i), i);
      }
      List<List<String>> sorted = new ArrayList<>();
      for (Set<String> set : sets) {
        sorted.add(List.copyOf(new TreeSet<>(set)));
      }
      sorted.sort(SETS);
      groupSets = List.copyOf(sorted);
      for (int i = 0; i < groupSets.size(); i++) {
        setIndex.put(new HashSet<>(groupSets.get(i)), i);
      }
    }

    /** The tables of a ledger as read: an entry's index is its place in the lists. */
    private Tables(List<String> agents, List<Set<String>> sets) {
      userAgents = agents;
      for (int i = 0; i < agents.size(); i++) {
        agentIndex.put(agents.get(i), i);
      }
      List<List<String>> lists = new ArrayList<>();
      for (int i = 0; i < sets.size(); i++) {
        lists.add(List.copyOf(sets.get(i)));
        setIndex.put(new HashSet<>(sets.get(i)), i);
      }
      groupSets = lists;
    }

    static Tables of(Ledger l) {
      HashSet<String> agents = new HashSet<>();
      HashSet<Set<String>> sets = new HashSet<>();
      Set<Set<String>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      for (SubjectUsage u : l.subjects().values()) {
        add(u, agents, sets, seen);
        sets.add(groups(u));
      }
      Set<Uses> uses = Collections.newSetFromMap(new IdentityHashMap<>());
      for (Fragment f : l.pending().values()) {
        if (f.packed() != null) {
          if (uses.add(f.packed().uses)) {
            f.packed().uses.addTo(agents, sets);
          }
          continue;
        }
        for (SubjectUsage u : f.contribution().values()) {
          add(u, agents, sets, seen);
        }
      }
      sets.remove(Set.of());
      Tables t = new Tables(agents, sets);
      for (Set<String> set : seen) {
        Integer i = t.setIndex.get(set);
        if (i != null) {
          t.setByIdentity.put(set, i);
        }
      }
      return t;
    }

    private static void add(
        SubjectUsage u, HashSet<String> agents, HashSet<Set<String>> sets, Set<Set<String>> seen) {
      for (SubjectDay d : u.days().values()) {
        if (seen.add(d.groups())) {
          sets.add(d.groups());
        }
      }
      for (RequestRow r : u.requestRows()) {
        if (seen.add(r.commonGroups())) {
          sets.add(r.commonGroups());
        }
        for (String a : r.userAgentArray()) {
          agents.add(a);
        }
      }
    }

    // whether a packed fragment's table entries have the same indexes here, by its Uses (shared)
    private final ConcurrentHashMap<Uses, Boolean> fits = new ConcurrentHashMap<>();

    boolean fit(Uses uses) {
      Boolean fit = fits.get(uses);
      if (fit == null) {
        fit = uses.fit(this);
        fits.put(uses, fit);
      }
      return fit;
    }

    int agent(String userAgent) {
      return agentIndex.get(userAgent);
    }

    /** Read-only once built: subjects are rendered on several threads. */
    int set(Set<String> groups) {
      Integer i = setByIdentity.get(groups);
      return i != null ? i : setIndex.get(groups);
    }
  }

  /**
   * A subject over several lines, its days and requests one per line (each written as a root value,
   * so that the separators are the layout's, at the line ends).
   */
  private static void subject(JsonGenerator g, SubjectUsage u, String indent, Tables t)
      throws IOException {
    String in = "\n" + indent + "  ";
    g.writeRaw("{" + in + "\"username\": ");
    g.writeString(u.username());
    Subject s = u.subject();
    g.writeRaw("," + in + "\"kind\": ");
    g.writeString(s.kind());
    if (s instanceof Subject.ServiceAccount sa) {
      g.writeRaw("," + in + "\"namespace\": ");
      g.writeString(sa.namespace());
      g.writeRaw("," + in + "\"name\": ");
      g.writeString(sa.name());
    } else {
      g.writeRaw("," + in + "\"name\": ");
      g.writeString(u.username());
    }
    TreeSet<String> groups = groups(u);
    if (!groups.isEmpty()) {
      g.writeRaw("," + in + "\"groups\": ");
      g.writeNumber(t.set(groups));
    }
    g.writeRaw("," + in + "\"days\": [");
    lines(g, indent + "    ", u.days().entrySet(), e -> subjectDay(g, e.getKey(), e.getValue(), t));
    g.writeRaw("]," + in + "\"requests\": [");
    lines(g, indent + "    ", u.sortedRequests(), e -> request(g, e.getKey(), e.getValue(), t));
    g.writeRaw("]\n" + indent + "}");
  }

  /**
   * A subject on one line (in an open request's contribution): its username, days and requests
   * (kind, name and the union of its groups follow from them). Without tables (the key that chooses
   * between two contributions), group sets and user agents are written out.
   */
  private static void compactSubject(JsonGenerator g, SubjectUsage u, Tables t) throws IOException {
    g.writeStartObject();
    g.writeStringProperty("username", u.username());
    g.writeName("days");
    g.writeStartArray();
    for (Map.Entry<Long, SubjectDay> e : u.days().entrySet()) {
      subjectDay(g, e.getKey(), e.getValue(), t);
    }
    g.writeEndArray();
    g.writeName("requests");
    g.writeStartArray();
    for (Map.Entry<RequestKey, RequestRow> e : u.sortedRequests()) {
      request(g, e.getKey(), e.getValue(), t);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static TreeSet<String> groups(SubjectUsage u) {
    TreeSet<String> groups = new TreeSet<>();
    u.days().values().forEach(d -> groups.addAll(d.groups()));
    return groups;
  }

  private static void groupsField(JsonGenerator g, Set<String> groups, Tables t)
      throws IOException {
    if (groups.isEmpty()) {
      return;
    }
    if (t == null) {
      strings(g, "groups", groups);
    } else {
      g.writeNumberProperty("groups", t.set(groups));
    }
  }

  private static void subjectDay(JsonGenerator g, long day, SubjectDay row, Tables t)
      throws IOException {
    g.writeStartObject();
    g.writeStringProperty("day", Days.format(day));
    g.writeNumberProperty("events", row.events());
    if (!row.skipped().isEmpty()) {
      g.writeName("skipped");
      g.writeStartObject();
      for (Map.Entry<Interpretation.Skip, Long> k : row.skipped().entrySet()) {
        g.writeNumberProperty(k.getKey().name(), k.getValue());
      }
      g.writeEndObject();
    }
    groupsField(g, row.groups(), t);
    g.writeEndObject();
  }

  private static void request(JsonGenerator g, RequestKey key, RequestRow row, Tables t)
      throws IOException {
    RequestAttributes a = key.attributes();
    g.writeStartObject();
    g.writeStringProperty("verb", a.verb());
    if (a.resourceRequest()) {
      stringIf(g, "apiGroup", a.apiGroup());
      g.writeStringProperty("resource", a.resource());
      stringIf(g, "subresource", a.subresource());
      stringIf(g, "namespace", a.namespace());
      stringIf(g, "name", a.name());
    } else {
      g.writeStringProperty("path", a.path());
    }
    if (key.use() != RequestUse.USED) {
      g.writeStringProperty("use", key.use().wireName());
    }
    Stats total = row.total();
    g.writeNumberProperty("count", total.count());
    time(g, "firstSeen", total.first());
    if (total.last() != null && !total.last().equals(total.first())) {
      time(g, "lastSeen", total.last());
    }
    Map<Outcome, Stats> outcomes = row.outcomes();
    if (!(outcomes.size() == 1 && outcomes.containsKey(Outcome.ALLOWED))) {
      g.writeName("outcomes");
      g.writeStartObject();
      for (Map.Entry<Outcome, Stats> e : outcomes.entrySet()) {
        Stats st = e.getValue();
        g.writeName(e.getKey().name());
        g.writeStartObject();
        g.writeNumberProperty("count", st.count());
        if (st.first() != null && !st.first().equals(total.first())) {
          time(g, "first", st.first());
        }
        if (st.last() != null && !st.last().equals(total.last())) {
          time(g, "last", st.last());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    g.writeName("days");
    g.writeStartObject();
    long[] days = row.dayNumbers();
    for (int i = 0; i < days.length; i++) {
      g.writeName(Days.format(days[i]));
      long[] counts = row.dayCounts(i);
      int n = counts.length;
      while (n > 1 && counts[n - 1] == 0) {
        n--;
      }
      g.writeStartArray();
      for (int k = 0; k < n; k++) {
        g.writeNumber(counts[k]);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
    groupsField(g, row.commonGroups(), t);
    stringIf(g, "implication", row.implication());
    if (row.onlyDryRun()) {
      g.writeBooleanProperty("onlyDryRun", true);
    }
    if (!row.auditIDs().isEmpty()) {
      strings(g, "auditIDs", row.auditIDs());
    }
    List<String> agents = row.userAgents();
    if (!agents.isEmpty()) {
      g.writeName("userAgents");
      g.writeStartArray();
      for (String agent : agents) {
        if (t == null) {
          g.writeString(agent);
        } else {
          g.writeNumber(t.agent(agent));
        }
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void fragment(JsonGenerator g, Fragment f, Tables t) throws IOException {
    Packed packed = f.packed();
    if (packed != null && t.fit(packed.uses)) {
      g.writeRaw(packed); // what the lines below write: made by them when it was read
      return;
    }
    g.writeStartObject();
    g.writeStringProperty("auditID", f.auditID());
    g.writeStringProperty("stage", stageName(f.stage()));
    g.writeName("stages");
    g.writeStartArray();
    for (Stage s : Stage.values()) {
      if (f.has(s)) {
        g.writeString(stageName(s));
      }
    }
    g.writeEndArray();
    if (f.longRunning()) {
      g.writeBooleanProperty("longRunning", true);
    }
    if (!f.requestReceivedLogged()) {
      g.writeBooleanProperty("requestReceivedLogged", false);
    }
    g.writeName("subjects");
    g.writeStartArray();
    for (SubjectUsage u : f.contribution().values()) {
      compactSubject(g, u, t);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static String stageName(Stage s) {
    return s == Stage.UNKNOWN ? "Unknown" : s.wireName();
  }

  /** What a fragment's contribution is, as compact JSON (to choose between two by content). */
  static String contributionKey(SortedMap<String, SubjectUsage> contribution) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
      g.writeStartArray();
      for (SubjectUsage u : contribution.values()) {
        compactSubject(g, u, null);
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void strings(JsonGenerator g, String field, Collection<String> values)
      throws IOException {
    g.writeName(field);
    strings(g, values);
  }

  private static void strings(JsonGenerator g, Collection<String> values) throws IOException {
    g.writeStartArray();
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  private static void stringIf(JsonGenerator g, String field, String value) throws IOException {
    if (!value.isEmpty()) {
      g.writeStringProperty(field, value);
    }
  }

  private static void time(JsonGenerator g, String field, Instant t) throws IOException {
    if (t != null) {
      g.writeStringProperty(field, Timestamps.format(t));
    }
  }

  /**
   * An open request read from a ledger, held as the JSON that {@link #fragment} writes for it with
   * the tables of the ledger it was read from, with those tables: one string instead of some twenty
   * objects (a merge of ledgers holds hundreds of thousands), written as it is when the entries it
   * refers to keep their indexes in the tables written (else written from its objects, made again
   * from the JSON, as they are whenever its contribution is asked for).
   */
  static final class Packed implements SerializableString {
    private final byte[] json; // UTF-8
    final Uses uses;
    private final List<String> userAgents;
    private final List<Set<String>> groupSets;
    private final String[] usernames; // sorted

    Packed(
        byte[] json,
        Uses uses,
        List<String> userAgents,
        List<Set<String>> groupSets,
        String[] usernames) {
      this.json = json;
      this.uses = uses;
      this.userAgents = userAgents;
      this.groupSets = groupSets;
      this.usernames = usernames;
    }

    boolean concerns(String username) {
      return Arrays.binarySearch(usernames, username) >= 0;
    }

    // as a SerializableString: its bytes, written raw

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
      if (offset + json.length > buffer.length) {
        return -1;
      }
      System.arraycopy(json, 0, buffer, offset, json.length);
      return json.length;
    }

    @Override
    public byte[] asUnquotedUTF8() {
      return json.clone();
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
      out.write(json);
      return json.length;
    }

    @Override
    public String getValue() {
      return new String(json, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
      return getValue().length();
    }

    @Override
    public char[] asQuotedChars() {
      throw new UnsupportedOperationException("written raw only");
    }

    @Override
    public byte[] asQuotedUTF8() {
      throw new UnsupportedOperationException("written raw only");
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
      throw new UnsupportedOperationException("written raw only");
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
      throw new UnsupportedOperationException("written raw only");
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
      char[] c = getValue().toCharArray();
      if (offset + c.length > buffer.length) {
        return -1;
      }
      System.arraycopy(c, 0, buffer, offset, c.length);
      return c.length;
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) {
      throw new UnsupportedOperationException("written raw only");
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
      throw new UnsupportedOperationException("written raw only");
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
      if (json.length > buffer.remaining()) {
        return -1;
      }
      buffer.put(json);
      return json.length;
    }

    /** The contribution, made from the JSON (new objects every time). */
    SortedMap<String, SubjectUsage> contribution() {
      try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
        Reader r = new Reader(p, "open request", u -> true);
        r.userAgents = userAgents;
        r.groupSets = groupSets;
        r.pack = false;
        p.nextToken();
        return r.fragment().contribution();
      }
    }
  }

  /**
   * The table entries a packed fragment refers to, with their indexes in the tables it was read
   * with; shared by the fragments of one ledger that refer to the same ones.
   */
  static final class Uses {
    private final String[] agents;
    private final int[] agentIndexes;
    private final List<Set<String>> sets;
    private final int[] setIndexes;

    private Uses(Collection<String> agents, Collection<Set<String>> sets, Tables in) {
      this.agents = agents.toArray(new String[0]);
      this.agentIndexes = new int[this.agents.length];
      for (int i = 0; i < this.agents.length; i++) {
        agentIndexes[i] = in.agent(this.agents[i]);
      }
      this.sets = List.copyOf(sets);
      this.setIndexes = new int[this.sets.size()];
      for (int i = 0; i < setIndexes.length; i++) {
        setIndexes[i] = in.set(this.sets.get(i));
      }
    }

    /** Every entry has the same index in {@code t}. */
    boolean fit(Tables t) {
      for (int i = 0; i < agents.length; i++) {
        if (t.agent(agents[i]) != agentIndexes[i]) {
          return false;
        }
      }
      for (int i = 0; i < setIndexes.length; i++) {
        if (t.set(sets.get(i)) != setIndexes[i]) {
          return false;
        }
      }
      return true;
    }

    void addTo(HashSet<String> agents, HashSet<Set<String>> sets) {
      Collections.addAll(agents, this.agents);
      sets.addAll(this.sets);
    }
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads a ledger file (gzipped or not).
   *
   * @throws LedgerException naming the file when it is not a readable ledger
   */
  public static Ledger read(Path file) {
    return read(file, null, false);
  }

  /**
   * Reads a ledger file, with the rows of only the subjects whose username {@code subjects} accepts
   * (the others are skipped unread; the observation and the open requests are read whole). Its open
   * requests are built as objects: a ledger read for chosen subjects is not written again, and
   * keeping them as their JSON (see {@link #readAll(List)}) would cost more than it saves.
   *
   * @throws LedgerException naming the file when it is not a readable ledger
   */
  public static Ledger read(Path file, Predicate<String> subjects) {
    return read(file, Objects.requireNonNull(subjects), false);
  }

  private static Ledger read(Path file, Predicate<String> subjects, boolean daysOfOthers) {
    try (InputStream in = open(file)) {
      return read(in, file.toString(), subjects, daysOfOthers);
    } catch (NoSuchFileException e) {
      throw new LedgerException(file + ": no such file");
    } catch (IOException e) {
      throw new LedgerException(file + ": cannot read the ledger: " + e.getMessage(), e);
    }
  }

  /**
   * Reads ledger files whole, several at a time (one per processor), in the order given; an error
   * is the first file's in that order. Their open requests are kept as their JSON ({@link Packed}):
   * a merge writes most of them again unchanged.
   *
   * @throws LedgerException naming the file when one is not a readable ledger
   */
  public static List<Ledger> readAll(List<Path> files) {
    return readAll(files, null, false);
  }

  /**
   * Reads ledger files as {@link #readAll(List)} does, with the rows of only the subjects whose
   * username {@code subjects} accepts ({@link #read(Path, Predicate)}).
   *
   * @throws LedgerException naming the file when one is not a readable ledger
   */
  public static List<Ledger> readAll(List<Path> files, Predicate<String> subjects) {
    return readAll(files, Objects.requireNonNull(subjects), false);
  }

  /**
   * Reads ledger files as {@link #readAll(List, Predicate)} does, the subjects that {@code
   * subjects} does not accept with their days alone, without their request rows: which subjects a
   * ledger holds and when they made requests (as {@code generate} suggests subjects), without the
   * cost of every row.
   */
  public static List<Ledger> readDaysOfAll(List<Path> files, Predicate<String> subjects) {
    return readAll(files, Objects.requireNonNull(subjects), true);
  }

  private static List<Ledger> readAll(
      List<Path> files, Predicate<String> subjects, boolean daysOfOthers) {
    int threads = Math.min(files.size(), Runtime.getRuntime().availableProcessors());
    if (threads <= 1) {
      return files.stream().map(f -> read(f, subjects, daysOfOthers)).toList();
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "ledger-reader");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Ledger>> read = new ArrayList<>();
      for (Path f : files) {
        read.add(pool.submit(() -> read(f, subjects, daysOfOthers)));
      }
      List<Ledger> out = new ArrayList<>(files.size());
      for (Future<Ledger> f : read) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new LedgerException("interrupted while reading the ledgers", e);
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static InputStream open(Path file) throws IOException {
    BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == 0x1f && b2 == 0x8b
        ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16)
        : in;
  }

  /** Reads a ledger from a stream; {@code name} is used in messages. */
  public static Ledger read(InputStream in, String name) {
    return read(in, name, null, false);
  }

  /**
   * Reads a ledger: every subject when {@code subjects} is null (open requests kept packed), else
   * the rows of the subjects it accepts (and with {@code daysOfOthers} the days of the others).
   */
  private static Ledger read(
      InputStream in, String name, Predicate<String> subjects, boolean daysOfOthers) {
    try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), in)) {
      Reader r = new Reader(p, name, subjects == null ? u -> true : subjects, daysOfOthers);
      r.pack = subjects == null;
      return r.ledger();
    } catch (LedgerException e) {
      throw e;
    } catch (JacksonException e) {
      throw new LedgerException(
          name + ": not a usage ledger: invalid or truncated JSON (" + firstLine(e) + ")");
    } catch (UncheckedIOException e) {
      throw new LedgerException(name + ": cannot read the ledger: " + e.getMessage());
    } catch (RuntimeException e) {
      throw new LedgerException(name + ": not a valid usage ledger: " + e.getMessage());
    }
  }

  private static String firstLine(JacksonException e) {
    return JsonProblems.describe(e);
  }

  public static Ledger fromJson(String json, String name) {
    return read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), name);
  }

  /**
   * A token-stream reader of one ledger; fields may come in any order, unknown ones are skipped.
   */
  private static final class Reader {
    private final JsonParser p;
    private final String name;
    private final Predicate<String> keep;
    private final boolean daysOfOthers; // the subjects not kept: read their days
    private final Interner interner = new Interner();
    private final HashMap<String, Long> dayNumbers = new HashMap<>();
    private String kind;
    private String apiVersion;
    private String fragmentID; // the audit ID of the open request being read
    private List<String> userAgents; // the tables (v1alpha3); null until read
    private List<Set<String>> groupSets;
    // open requests are kept packed (their JSON) when the ledger has its tables
    private boolean pack;
    private Tables tables; // userAgents and groupSets, to write packed fragments with
    private ByteArrayOutputStream packOut;
    private JsonGenerator packer;
    private final HashMap<List<Object>, Uses> uses = new HashMap<>();
    private final HashMap<List<String>, String[]> usernames = new HashMap<>();

    Reader(JsonParser p, String name, Predicate<String> keep) {
      this(p, name, keep, false);
    }

    Reader(JsonParser p, String name, Predicate<String> keep, boolean daysOfOthers) {
      this.p = p;
      this.name = name;
      this.keep = keep;
      this.daysOfOthers = daysOfOthers;
    }

    Ledger ledger() {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new LedgerException(name + ": not a usage ledger (not a JSON object)");
      }
      Observation o = null;
      List<SubjectUsage> subjects = null;
      List<Fragment> pending = new ArrayList<>();
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "kind" -> {
            kind = string();
            checkKind();
          }
          case "apiVersion" -> {
            apiVersion = string();
            if (kind != null) {
              checkVersion();
            }
          }
          case "observation" -> o = observation();
          case "userAgents" -> {
            array();
            List<String> table = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              table.add(interned());
            }
            userAgents = table;
          }
          case "groupSets" -> {
            array();
            List<Set<String>> table = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              table.add(interner.set(strings()));
            }
            groupSets = table;
          }
          case "subjects" -> {
            subjects = new ArrayList<>();
            array();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              SubjectUsage u = subject(true);
              if (u != null) {
                subjects.add(u);
              }
            }
          }
          case "pending" -> {
            array();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              pending.add(fragment());
            }
          }
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new LedgerException(
            name + ": not a usage ledger: trailing data after the JSON value");
      }
      if (kind == null) {
        kind = "";
      }
      checkKind();
      if (apiVersion == null) {
        apiVersion = "";
      }
      checkVersion();
      if (o == null) {
        throw missing("observation");
      }
      if (subjects == null) {
        throw missing("subjects");
      }
      return Ledger.taking(o, subjects, pending);
    }

    private void checkKind() {
      if (!kind.equals(Ledger.KIND)) {
        throw new LedgerException(
            name + ": not a usage ledger (kind is \"" + kind + "\", expected " + Ledger.KIND + ")");
      }
      if (apiVersion != null) {
        checkVersion();
      }
    }

    private void checkVersion() {
      if (!apiVersion.equals(Ledger.API_VERSION)
          && !Ledger.API_VERSIONS_READ.contains(apiVersion)) {
        throw new LedgerException(
            name
                + ": usage ledger of unknown apiVersion \""
                + apiVersion
                + "\" (this rbac-synth reads "
                + Ledger.API_VERSION
                + ", "
                + String.join(" and ", Ledger.API_VERSIONS_READ)
                + (apiVersion.equals("rbac-synth.dev/v1alpha1")
                    ? "; collect the logs again to make a ledger of this version"
                    : "")
                + ")");
      }
    }

    private LedgerException missing(String field) {
      return new LedgerException(name + ": not a valid usage ledger: \"" + field + "\" is missing");
    }

    private void array() {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw new IllegalArgumentException(
            "\"" + p.currentName() + "\" is not an array (line " + line() + ")");
      }
    }

    private void object() {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("an object was expected at line " + line());
      }
    }

    private long line() {
      return p.currentTokenLocation().getLineNr();
    }

    private String string() {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw new IllegalArgumentException(
            "\"" + p.currentName() + "\" is not a string (line " + line() + ")");
      }
      return p.getString();
    }

    private String interned() {
      return interner.intern(string());
    }

    private long number() {
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
        throw new IllegalArgumentException(
            "\"" + p.currentName() + "\" is not a whole number (line " + line() + ")");
      }
      return p.getLongValue();
    }

    private boolean bool() {
      JsonToken t = p.currentToken();
      if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
        throw new IllegalArgumentException(
            "\"" + p.currentName() + "\" is not true or false (line " + line() + ")");
      }
      return t == JsonToken.VALUE_TRUE;
    }

    /** An RFC 3339 time as epoch nanoseconds ({@link RequestRow#NO_TIME} for null). */
    private long nanos() {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        return RequestRow.NO_TIME;
      }
      String field = p.currentName();
      String v = string();
      Long t = epochNanos(v);
      if (t == null) {
        throw new IllegalArgumentException(
            "\"" + field + "\" is not an RFC 3339 time: \"" + v + "\" (line " + line() + ")");
      }
      return t;
    }

    private Instant time() {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        return null;
      }
      String field = p.currentName();
      String v = string();
      try {
        return Instant.parse(v);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "\"" + field + "\" is not an RFC 3339 time: \"" + v + "\" (line " + line() + ")");
      }
    }

    /** The day of {@code text}, one boxed value per day (a ledger's maps hold them boxed). */
    private Long day(String text) {
      Long d = dayNumbers.get(text);
      if (d == null) {
        try {
          d = Days.parse(text);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(
              "\"" + text + "\" is not a day (YYYY-MM-DD) (line " + line() + ")");
        }
        dayNumbers.put(text, d);
      }
      return d;
    }

    private List<String> strings() {
      array();
      List<String> out = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        out.add(interned());
      }
      return out;
    }

    private Observation observation() {
      object();
      Instant from = null;
      Instant to = null;
      long events = 0;
      long bad = 0;
      TreeMap<Long, Long> days = new TreeMap<>();
      TreeMap<String, Observation.Window> clusters = new TreeMap<>();
      List<Source> sources = new ArrayList<>();
      Scope scope = Scope.ALL;
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "from" -> from = time();
          case "to" -> to = time();
          case "events" -> events = number();
          case "badRecords" -> bad = number();
          case "scope" -> scope = scope();
          case "days" -> eventsByDay(days);
          case "clusters" -> {
            array();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              object();
              String cluster = "";
              Instant cf = null;
              Instant ct = null;
              long n = 0;
              TreeMap<Long, Long> clusterDays = new TreeMap<>();
              while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                  case "name" -> cluster = string();
                  case "from" -> cf = time();
                  case "to" -> ct = time();
                  case "events" -> n = number();
                  case "days" -> eventsByDay(clusterDays);
                  default -> p.skipChildren();
                }
              }
              clusters.put(cluster, new Observation.Window(cf, ct, n, clusterDays));
            }
          }
          case "sources" -> {
            array();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              sources.add(source());
            }
          }
          default -> p.skipChildren();
        }
      }
      return new Observation(from, to, events, bad, clusters, sources, days, scope);
    }

    /**
     * The {@code scope} of a ledger collected with a subject flag or {@code -n}. A field this
     * version does not know would narrow it in a way this version cannot honour: refused.
     */
    private Scope scope() {
      object();
      long at = line();
      String username = "";
      String group = "";
      String namespace = "";
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "username" -> username = string();
          case "group" -> group = string();
          case "namespace" -> namespace = string();
          default ->
              throw new IllegalArgumentException(
                  "\"scope\" has an unknown field \"" + field + "\" (line " + line() + ")");
        }
      }
      if (!username.isEmpty() && !group.isEmpty()) {
        throw new IllegalArgumentException(
            "\"scope\" names both a username and a group (line " + at + ")");
      }
      return new Scope(username, group, namespace);
    }

    /** A {@code days} array of {@code {day, events}} objects, into {@code days}. */
    private void eventsByDay(TreeMap<Long, Long> days) {
      array();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        object();
        String day = null;
        long n = 0;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String f = p.currentName();
          p.nextToken();
          switch (f) {
            case "day" -> day = string();
            case "events" -> n = number();
            default -> p.skipChildren();
          }
        }
        if (day == null) {
          throw missing("day");
        }
        days.put(day(day), n);
      }
    }

    private Source source() {
      object();
      String fingerprint = null;
      int bytes = 0;
      String file = "";
      long events = 0;
      List<Source.Range> ranges = new ArrayList<>();
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String f = p.currentName();
        p.nextToken();
        switch (f) {
          case "fingerprint" -> fingerprint = string();
          case "fingerprintBytes" -> bytes = (int) number();
          case "name" -> file = string();
          case "events" -> events = number();
          case "ranges" -> {
            array();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              array();
              p.nextToken();
              long start = number();
              p.nextToken();
              long end = number();
              if (p.nextToken() != JsonToken.END_ARRAY) {
                throw new IllegalArgumentException("a range is [start, end] (line " + line() + ")");
              }
              ranges.add(new Source.Range(start, end));
            }
          }
          default -> p.skipChildren();
        }
      }
      if (fingerprint == null) {
        throw missing("fingerprint");
      }
      return new Source(fingerprint, bytes, file, ranges, events);
    }

    /** A subject, or null when {@code filter} and the filter does not keep it (then skipped). */
    private SubjectUsage subject(boolean filter) {
      object();
      String username = null;
      List<Map.Entry<Long, SubjectDay>> days = new ArrayList<>();
      List<Map.Entry<RequestKey, RequestRow>> requests = new ArrayList<>();
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "username" -> {
            username = string();
            if (filter && !keep.test(username)) {
              return other(username);
            }
          }
          case "days" -> {
            array();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              days.add(subjectDay());
            }
          }
          case "requests" -> {
            array();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              requests.add(request());
            }
          }
          default -> p.skipChildren();
        }
      }
      if (username == null) {
        throw missing("username");
      }
      SubjectUsage u = new SubjectUsage(username);
      days.forEach(e -> u.put(e.getKey(), e.getValue()));
      if (filter && !keep.test(username)) {
        return daysOfOthers ? u : null;
      }
      requests.forEach(e -> u.put(e.getKey(), e.getValue()));
      return u;
    }

    /**
     * The rest of a subject that is not kept: skipped, or with {@link #daysOfOthers} its days read
     * (and its request rows skipped).
     */
    private SubjectUsage other(String username) {
      SubjectUsage u = daysOfOthers ? new SubjectUsage(username) : null;
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (u != null && field.equals("days")) {
          array();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            Map.Entry<Long, SubjectDay> e = subjectDay();
            u.put(e.getKey(), e.getValue());
          }
        } else {
          p.skipChildren();
        }
      }
      return u;
    }

    private Map.Entry<Long, SubjectDay> subjectDay() {
      object();
      String day = null;
      long events = 0;
      EnumMap<Interpretation.Skip, Long> skipped = null;
      Set<String> groups = Set.of();
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String f = p.currentName();
        p.nextToken();
        switch (f) {
          case "day" -> day = string();
          case "events" -> events = number();
          case "skipped" -> {
            object();
            skipped = new EnumMap<>(Interpretation.Skip.class);
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
              String reason = p.currentName();
              p.nextToken();
              skipped.put(Interpretation.Skip.valueOf(reason), number());
            }
          }
          case "groups" -> groups = groupSet();
          default -> p.skipChildren();
        }
      }
      if (day == null) {
        throw missing("day");
      }
      return Map.entry(
          day(day), SubjectDay.read(events, skipped == null ? Map.of() : skipped, groups));
    }

    /** A group set: an index into the groupSets table ({@code v1alpha3}), or the list. */
    private Set<String> groupSet() {
      if (p.currentToken() == JsonToken.START_ARRAY) {
        return interner.set(strings());
      }
      return entry(groupSets, "groupSets");
    }

    private String userAgent() {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        return interned();
      }
      return entry(userAgents, "userAgents");
    }

    private <T> T entry(List<T> table, String tableName) {
      long i = number();
      if (table == null) {
        throw new IllegalArgumentException(
            "\""
                + p.currentName()
                + "\" refers to the "
                + tableName
                + " table, which must come before \"subjects\" and \"pending\" (line "
                + line()
                + ")");
      }
      if (i < 0 || i >= table.size()) {
        throw new IllegalArgumentException(
            "\""
                + p.currentName()
                + "\": "
                + i
                + " is not an index of the "
                + tableName
                + " table ("
                + table.size()
                + " entries) (line "
                + line()
                + ")");
      }
      return table.get((int) i);
    }

    /**
     * A request row, built in place. {@code v1alpha3} leaves out what follows from the rest: {@code
     * lastSeen} equal to {@code firstSeen}, {@code outcomes} when every occurrence was allowed;
     * group sets and user agents are indexes into the tables. {@code v1alpha2} rows (every field
     * written, strings in place) are read by the same code.
     */
    private Map.Entry<RequestKey, RequestRow> request() {
      object();
      String verb = null;
      String apiGroup = "";
      String resource = "";
      String subresource = "";
      String namespace = "";
      String objectName = "";
      String path = null;
      RequestUse use = RequestUse.USED;
      long count = -1;
      long firstSeen = RequestRow.NO_TIME;
      long lastSeen = RequestRow.NO_TIME;
      boolean outcomes = false;
      boolean dryRun = false;
      RequestRow row = new RequestRow();
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String f = p.currentName();
        p.nextToken();
        switch (f) {
          case "verb" -> verb = interned();
          case "apiGroup" -> apiGroup = interned();
          case "resource" -> resource = interned();
          case "subresource" -> subresource = interned();
          case "namespace" -> namespace = interned();
          case "name" -> objectName = interned();
          case "path" -> path = interned();
          case "use" -> use = RequestUse.parse(string());
          case "count" -> count = number();
          case "firstSeen" -> firstSeen = nanos();
          case "lastSeen" -> lastSeen = nanos();
          case "outcomes" -> {
            object();
            outcomes = true;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
              Outcome o = Outcome.valueOf(p.currentName());
              p.nextToken();
              object();
              long n = 0;
              long first = RequestRow.UNSET;
              long last = RequestRow.UNSET;
              while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String g = p.currentName();
                p.nextToken();
                switch (g) {
                  case "count" -> n = number();
                  case "first" -> first = nanos();
                  case "last" -> last = nanos();
                  default -> p.skipChildren();
                }
              }
              row.readOutcome(o.ordinal(), n, first, last);
            }
          }
          case "days" -> {
            object();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
              long day = day(p.currentName());
              p.nextToken();
              array();
              int k = 0;
              while (p.nextToken() != JsonToken.END_ARRAY) {
                if (k >= OUTCOMES.length) {
                  throw new IllegalArgumentException(
                      "more day counts than outcomes (line " + line() + ")");
                }
                row.readDay(day, k, number());
                k++;
              }
            }
          }
          case "commonGroups", "groups" -> row.readCommonGroups(groupSet());
          case "implication" -> row.readImplication(interned());
          case "onlyDryRun" -> dryRun = bool();
          case "auditIDs" -> {
            array();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              String id = string();
              // an open request's row holds its own audit ID: one string for both
              row.readAuditID(id.equals(fragmentID) ? fragmentID : id);
            }
          }
          case "userAgents" -> {
            array();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              row.readUserAgent(userAgent());
            }
          }
          default -> p.skipChildren();
        }
      }
      if (verb == null) {
        throw missing("verb");
      }
      if (lastSeen == RequestRow.NO_TIME) {
        lastSeen = firstSeen;
      }
      if (!outcomes) {
        if (count < 0) {
          throw missing("count");
        }
        row.readOutcome(Outcome.ALLOWED.ordinal(), count, firstSeen, lastSeen);
      }
      row.readOnlyDryRun(dryRun);
      row.finishRead(firstSeen, lastSeen);
      RequestAttributes a =
          path != null
              ? RequestAttributes.nonResource(verb, path)
              : RequestAttributes.resource(
                  verb, apiGroup, resource, subresource, namespace, objectName);
      return Map.entry(new RequestKey(a, use), row);
    }

    private Fragment fragment() {
      object();
      String auditID = null;
      Stage stage = Stage.UNKNOWN;
      int stages = 0;
      boolean longRunning = false;
      boolean requestReceivedLogged = true; // v1alpha3 writes it only when false
      TreeMap<String, SubjectUsage> contribution = new TreeMap<>();
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String f = p.currentName();
        p.nextToken();
        switch (f) {
          case "auditID" -> {
            auditID = string();
            fragmentID = auditID;
          }
          case "stage" -> stage = stage(string());
          case "stages" -> {
            for (String st : strings()) {
              stages |= Fragment.bit(stage(st));
            }
          }
          case "longRunning" -> longRunning = bool();
          case "requestReceivedLogged" -> requestReceivedLogged = bool();
          case "subjects" -> {
            array();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              // as in subjects[]: a subject that is not read is skipped (its days kept when asked)
              SubjectUsage u = subject(true);
              if (u != null) {
                contribution.put(u.username(), u);
              }
            }
          }
          default -> p.skipChildren();
        }
      }
      if (auditID == null) {
        throw missing("auditID");
      }
      fragmentID = null;
      Fragment f =
          new Fragment(auditID, stages, stage, longRunning, requestReceivedLogged, contribution);
      return pack && userAgents != null && groupSets != null ? packed(f) : f;
    }

    /** {@code f} packed: its JSON as written with this ledger's tables. */
    private Fragment packed(Fragment f) {
      if (tables == null) {
        tables = new Tables(userAgents, groupSets);
        packOut = new ByteArrayOutputStream(1 << 12);
        packer = FACTORY.createGenerator(ObjectWriteContext.empty(), packOut);
      }
      HashSet<String> agents = new HashSet<>();
      HashSet<Set<String>> sets = new HashSet<>();
      Set<Set<String>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      for (SubjectUsage u : f.contribution().values()) {
        Tables.add(u, agents, sets, seen);
      }
      sets.remove(Set.of());
      List<String> a = new ArrayList<>(agents);
      Collections.sort(a);
      List<Set<String>> g = new ArrayList<>(sets);
      g.sort(Comparator.comparing(set -> tables.set(set)));
      Uses u = uses.computeIfAbsent(List.of(a, g), k -> new Uses(a, g, tables));
      List<String> names = List.copyOf(f.contribution().keySet());
      String[] n = usernames.computeIfAbsent(names, k -> k.toArray(new String[0]));
      try {
        packOut.reset();
        LedgerJson.fragment(packer, f, tables);
        packer.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      byte[] json = packOut.toByteArray();
      return Fragment.packed(
          f.auditID(),
          f.stages(),
          f.stage(),
          f.longRunning(),
          f.requestReceivedLogged(),
          new Packed(json, u, userAgents, groupSets, n));
    }
  }

  private static Stage stage(String s) {
    return s.equals("Unknown") ? Stage.UNKNOWN : Stage.parse(s);
  }

  static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  /**
   * Epoch nanoseconds of an RFC 3339 time, parsed as audit events' times are ({@link
   * Timestamps#parse}: by hand for the UTC form the ledger is written in); null when the text is
   * not a time or lies outside the years a long of nanoseconds holds (1677 to 2262).
   */
  static Long epochNanos(String v) {
    Instant i = Timestamps.parse(v);
    if (i == null) {
      return null;
    }
    try {
      return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    } catch (ArithmeticException e) {
      return null;
    }
  }
}
