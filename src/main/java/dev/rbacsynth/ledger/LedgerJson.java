package dev.rbacsynth.ledger;

import dev.rbacsynth.attributes.Interpretation;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.event.Stage;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.read.JsonProblems;
import dev.rbacsynth.write.OutputTarget;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ledger's JSON form ({@code apiVersion: rbac-synth.dev/v1alpha1}, {@code kind: UsageLedger}):
 * sorted, indented, no wall-clock time, so the same ledger always gives the same bytes. Files
 * ending in {@code .gz} are gzipped (reading detects gzip by its magic bytes); writing is atomic.
 */
public final class LedgerJson {
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final JsonMapper COMPACT = JsonMapper.builder().build();

  private LedgerJson() {}

  // ---------------------------------------------------------------- writing

  public static byte[] toBytes(Ledger ledger) {
    byte[] json = MAPPER.writeValueAsBytes(tree(ledger));
    byte[] out = new byte[json.length + 1];
    System.arraycopy(json, 0, out, 0, json.length);
    out[json.length] = '\n';
    return out;
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
    byte[] bytes = toBytes(ledger);
    if (abs.getFileName().toString().endsWith(".gz")) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      try (OutputStream out = new GZIPOutputStream(buf)) {
        out.write(bytes);
      }
      bytes = buf.toByteArray();
    }
    try {
      OutputTarget.writeAll(List.of(new OutputTarget.Output(file, bytes)));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  static String contributionKey(SortedMap<String, SubjectUsage> contribution) {
    ArrayNode a = COMPACT.createArrayNode();
    contribution.values().forEach(u -> a.add(subject(u)));
    return COMPACT.writeValueAsString(a);
  }

  private static ObjectNode tree(Ledger l) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("apiVersion", Ledger.API_VERSION);
    root.put("kind", Ledger.KIND);
    Observation o = l.observation();
    ObjectNode obs = root.putObject("observation");
    putTime(obs, "from", o.from());
    putTime(obs, "to", o.to());
    obs.put("events", o.events());
    obs.put("badRecords", o.badRecords());
    ArrayNode days = obs.putArray("days");
    o.eventsByDay().forEach((d, n) -> days.addObject().put("day", Days.format(d)).put("events", n));
    ArrayNode clusters = obs.putArray("clusters");
    o.clusters()
        .forEach(
            (name, w) -> {
              ObjectNode c = clusters.addObject();
              c.put("name", name);
              putTime(c, "from", w.from());
              putTime(c, "to", w.to());
              c.put("events", w.events());
            });
    ArrayNode sources = obs.putArray("sources");
    for (Source s : o.sources()) {
      ObjectNode n = sources.addObject();
      n.put("fingerprint", s.fingerprint());
      n.put("fingerprintBytes", s.fingerprintBytes());
      n.put("name", s.name());
      n.put("events", s.events());
      ArrayNode ranges = n.putArray("ranges");
      s.ranges().forEach(r -> ranges.addArray().add(r.start()).add(r.end()));
    }
    ArrayNode subjects = root.putArray("subjects");
    l.subjects().values().forEach(u -> subjects.add(subject(u)));
    ArrayNode pending = root.putArray("pending");
    for (Fragment f : l.pending().values()) {
      ObjectNode n = pending.addObject();
      n.put("auditID", f.auditID());
      n.put("stage", f.stage().wireName());
      ArrayNode stages = n.putArray("stages");
      for (Stage s : Stage.values()) {
        if (f.has(s)) {
          stages.add(s == Stage.UNKNOWN ? "Unknown" : s.wireName());
        }
      }
      n.put("longRunning", f.longRunning());
      n.put("requestReceivedLogged", f.requestReceivedLogged());
      ArrayNode c = n.putArray("subjects");
      f.contribution().values().forEach(u -> c.add(subject(u)));
    }
    return root;
  }

  private static ObjectNode subject(SubjectUsage u) {
    ObjectNode n = COMPACT.createObjectNode();
    n.put("username", u.username());
    Subject s = u.subject();
    n.put("kind", s.kind());
    if (s instanceof Subject.ServiceAccount sa) {
      n.put("namespace", sa.namespace());
      n.put("name", sa.name());
    } else {
      n.put("name", u.username());
    }
    TreeSet<String> groups = new TreeSet<>();
    u.days().values().forEach(d -> groups.addAll(d.groups()));
    strings(n.putArray("groups"), groups);
    ArrayNode days = n.putArray("days");
    u.days()
        .forEach(
            (d, row) -> {
              ObjectNode dn = days.addObject();
              dn.put("day", Days.format(d));
              dn.put("events", row.events());
              if (!row.skipped().isEmpty()) {
                ObjectNode sk = dn.putObject("skipped");
                row.skipped().forEach((k, v) -> sk.put(k.name(), v));
              }
              strings(dn.putArray("groups"), row.groups());
            });
    ArrayNode requests = n.putArray("requests");
    for (Map.Entry<RequestKey, SortedMap<Long, RequestDay>> e : u.requests().entrySet()) {
      ObjectNode r = requests.addObject();
      RequestAttributes a = e.getKey().attributes();
      r.put("verb", a.verb());
      if (a.resourceRequest()) {
        r.put("apiGroup", a.apiGroup());
        r.put("resource", a.resource());
        putIf(r, "subresource", a.subresource());
        putIf(r, "namespace", a.namespace());
        putIf(r, "name", a.name());
      } else {
        r.put("path", a.path());
      }
      if (e.getKey().skipped()) {
        r.put("skipped", true);
      }
      Stats total = Stats.NONE;
      for (RequestDay d : e.getValue().values()) {
        total = total.plus(d.total());
      }
      r.put("count", total.count());
      putTime(r, "firstSeen", total.first());
      putTime(r, "lastSeen", total.last());
      ArrayNode rd = r.putArray("days");
      e.getValue()
          .forEach(
              (day, row) -> {
                ObjectNode dn = rd.addObject();
                dn.put("day", Days.format(day));
                ObjectNode outcomes = dn.putObject("outcomes");
                row.outcomes()
                    .forEach(
                        (o, st) -> {
                          ObjectNode on = outcomes.putObject(o.name());
                          on.put("count", st.count());
                          putTime(on, "first", st.first());
                          putTime(on, "last", st.last());
                        });
                strings(dn.putArray("commonGroups"), row.commonGroups());
                putIf(dn, "implication", row.implication());
                if (row.onlyDryRun()) {
                  dn.put("onlyDryRun", true);
                }
                strings(dn.putArray("auditIDs"), row.auditIDs());
                strings(dn.putArray("userAgents"), row.userAgents());
              });
    }
    return n;
  }

  private static void strings(ArrayNode a, Collection<String> values) {
    values.forEach(a::add);
  }

  private static void putIf(ObjectNode n, String field, String value) {
    if (!value.isEmpty()) {
      n.put(field, value);
    }
  }

  private static void putTime(ObjectNode n, String field, Instant t) {
    if (t != null) {
      n.put(field, t.toString());
    }
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads a ledger file (gzipped or not).
   *
   * @throws LedgerException naming the file when it is not a readable ledger
   */
  public static Ledger read(Path file) {
    try (InputStream in = open(file)) {
      return read(in, file.toString());
    } catch (java.nio.file.NoSuchFileException e) {
      throw new LedgerException(file + ": no such file");
    } catch (IOException e) {
      throw new LedgerException(file + ": cannot read the ledger: " + e.getMessage(), e);
    }
  }

  private static InputStream open(Path file) throws IOException {
    BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == 0x1f && b2 == 0x8b
        ? new BufferedInputStream(new GZIPInputStream(in), 1 << 16)
        : in;
  }

  /** Reads a ledger from a stream; {@code name} is used in messages. */
  public static Ledger read(InputStream in, String name) {
    JsonNode root;
    try {
      root = MAPPER.readTree(in);
    } catch (JacksonException e) {
      throw new LedgerException(
          name + ": not a usage ledger: invalid or truncated JSON (" + firstLine(e) + ")");
    } catch (UncheckedIOException e) {
      throw new LedgerException(name + ": cannot read the ledger: " + e.getMessage());
    }
    try {
      return fromTree(root, name);
    } catch (LedgerException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new LedgerException(name + ": not a valid usage ledger: " + e.getMessage());
    }
  }

  private static String firstLine(JacksonException e) {
    return JsonProblems.describe(e);
  }

  public static Ledger fromJson(String json, String name) {
    return read(new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), name);
  }

  private static Ledger fromTree(JsonNode root, String name) {
    if (root == null || !root.isObject()) {
      throw new LedgerException(name + ": not a usage ledger (not a JSON object)");
    }
    String kind = root.path("kind").asString("");
    String apiVersion = root.path("apiVersion").asString("");
    if (!kind.equals(Ledger.KIND)) {
      throw new LedgerException(
          name + ": not a usage ledger (kind is \"" + kind + "\", expected " + Ledger.KIND + ")");
    }
    if (!apiVersion.equals(Ledger.API_VERSION)) {
      throw new LedgerException(
          name
              + ": usage ledger of unknown apiVersion \""
              + apiVersion
              + "\" (this rbac-synth reads "
              + Ledger.API_VERSION
              + ")");
    }
    JsonNode obs = required(root, "observation", name);
    TreeMap<Long, Long> days = new TreeMap<>();
    for (JsonNode d : obs.path("days")) {
      days.put(Days.parse(text(d, "day", name)), d.path("events").asLong());
    }
    TreeMap<String, Observation.Window> clusters = new TreeMap<>();
    for (JsonNode c : obs.path("clusters")) {
      clusters.put(
          c.path("name").asString(""),
          new Observation.Window(time(c, "from"), time(c, "to"), c.path("events").asLong()));
    }
    List<Source> sources = new ArrayList<>();
    for (JsonNode s : obs.path("sources")) {
      List<Source.Range> ranges = new ArrayList<>();
      for (JsonNode r : s.path("ranges")) {
        ranges.add(new Source.Range(r.get(0).asLong(), r.get(1).asLong()));
      }
      sources.add(
          new Source(
              text(s, "fingerprint", name),
              s.path("fingerprintBytes").asInt(),
              s.path("name").asString(""),
              ranges,
              s.path("events").asLong()));
    }
    Observation o =
        new Observation(
            time(obs, "from"),
            time(obs, "to"),
            obs.path("events").asLong(),
            obs.path("badRecords").asLong(),
            clusters,
            sources,
            days);
    List<SubjectUsage> subjects = new ArrayList<>();
    for (JsonNode s : required(root, "subjects", name)) {
      subjects.add(subject(s, name));
    }
    List<Fragment> pending = new ArrayList<>();
    for (JsonNode f : root.path("pending")) {
      int stages = 0;
      for (JsonNode st : f.path("stages")) {
        stages |= Fragment.bit(stage(st.asString("")));
      }
      TreeMap<String, SubjectUsage> c = new TreeMap<>();
      for (JsonNode s : f.path("subjects")) {
        SubjectUsage u = subject(s, name);
        c.put(u.username(), u);
      }
      pending.add(
          new Fragment(
              text(f, "auditID", name),
              stages,
              stage(f.path("stage").asString("")),
              f.path("longRunning").asBoolean(),
              f.path("requestReceivedLogged").asBoolean(),
              c));
    }
    return Ledger.of(o, subjects, pending);
  }

  private static Stage stage(String s) {
    return s.equals("Unknown") ? Stage.UNKNOWN : Stage.parse(s);
  }

  private static SubjectUsage subject(JsonNode s, String name) {
    SubjectUsage u = new SubjectUsage(text(s, "username", name));
    for (JsonNode d : s.path("days")) {
      EnumMap<Interpretation.Skip, Long> skipped = new EnumMap<>(Interpretation.Skip.class);
      d.path("skipped")
          .properties()
          .forEach(
              e -> skipped.put(Interpretation.Skip.valueOf(e.getKey()), e.getValue().asLong()));
      u.put(
          Days.parse(text(d, "day", name)),
          SubjectDay.of(d.path("events").asLong(), skipped, strings(d.path("groups"))));
    }
    for (JsonNode r : s.path("requests")) {
      String verb = text(r, "verb", name);
      RequestAttributes a =
          r.has("path")
              ? RequestAttributes.nonResource(verb, r.path("path").asString(""))
              : RequestAttributes.resource(
                  verb,
                  r.path("apiGroup").asString(""),
                  r.path("resource").asString(""),
                  r.path("subresource").asString(""),
                  r.path("namespace").asString(""),
                  r.path("name").asString(""));
      RequestKey key = new RequestKey(a, r.path("skipped").asBoolean(false));
      for (JsonNode d : r.path("days")) {
        EnumMap<Outcome, Stats> outcomes = new EnumMap<>(Outcome.class);
        d.path("outcomes")
            .properties()
            .forEach(
                e ->
                    outcomes.put(
                        Outcome.valueOf(e.getKey()),
                        new Stats(
                            e.getValue().path("count").asLong(),
                            time(e.getValue(), "first"),
                            time(e.getValue(), "last"))));
        u.put(
            key,
            Days.parse(text(d, "day", name)),
            RequestDay.of(
                outcomes,
                strings(d.path("commonGroups")),
                d.path("implication").asString(""),
                d.path("onlyDryRun").asBoolean(false),
                strings(d.path("auditIDs")),
                strings(d.path("userAgents"))));
      }
    }
    return u;
  }

  private static List<String> strings(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.forEach(n -> out.add(n.asString("")));
    return out;
  }

  private static JsonNode required(JsonNode n, String field, String name) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new LedgerException(name + ": not a valid usage ledger: \"" + field + "\" is missing");
    }
    return v;
  }

  private static String text(JsonNode n, String field, String name) {
    JsonNode v = required(n, field, name);
    if (!v.isString()) {
      throw new LedgerException(
          name + ": not a valid usage ledger: \"" + field + "\" is not a string");
    }
    return v.asString();
  }

  private static Instant time(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    try {
      return Instant.parse(v.asString(""));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("\"" + field + "\" is not an RFC 3339 time: " + v);
    }
  }

  static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }
}
