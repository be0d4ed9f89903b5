package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** collect and --usage on the real hkerma log, end to end through the command line. */
class CollectCommandTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path shared;
  @TempDir Path tmp;

  private static Path log;
  private static Path ledger;

  @BeforeAll
  static void collectOnce() {
    log = HkermaAuditLog.jsonl();
    ledger = shared.resolve("hkerma-usage.json");
    Cli.Result r = Cli.run("collect", "-f", log.toString(), "--output-file", ledger.toString());
    assertThat(r.exit()).as(r.err()).isZero();
  }

  private static Stream<String> subjects() {
    return HkermaAuditLog.usersByActivity().keySet().stream()
        .filter(u -> !u.equals("system:anonymous"));
  }

  /** {@code collect -f LOG --usage LEDGER --output-file LEDGER}: the ledger updated in place. */
  private static Cli.Result updateInPlace(Path log, Path ledger) {
    return Cli.run(
        "collect",
        "-f",
        log.toString(),
        "--usage",
        ledger.toString(),
        "--output-file",
        ledger.toString());
  }

  @TestFactory
  Stream<DynamicTest> generateFromTheLedgerEqualsGenerateFromTheLogForEverySubject() {
    return subjects()
        .map(
            user ->
                DynamicTest.dynamicTest(
                    user,
                    () -> {
                      Cli.Result fromLog =
                          Cli.run("generate", "-f", log.toString(), "--user", user);
                      Cli.Result fromLedger =
                          Cli.run("generate", "--usage", ledger.toString(), "--user", user);
                      assertThat(fromLedger.exit()).as(fromLedger.err()).isEqualTo(fromLog.exit());
                      assertThat(fromLedger.out()).isEqualTo(fromLog.out());
                      Cli.Result exact =
                          Cli.run(
                              "generate", "--usage", ledger.toString(), "--user", user, "--exact");
                      assertThat(exact.out())
                          .isEqualTo(
                              Cli.run("generate", "-f", log.toString(), "--user", user, "--exact")
                                  .out());
                    }));
  }

  @Test
  void diffFromTheLedgerEqualsDiffFromTheLog() throws IOException {
    String user = "system:serviceaccount:ingress-nginx:my-ingress-nginx";
    Path rbac = tmp.resolve("rbac.yaml");
    Files.writeString(
        rbac, Cli.run("generate", "-f", log.toString(), "--user", user, "--exact").out());
    for (String output : List.of("text", "json")) {
      Cli.Result a =
          Cli.run(
              "diff",
              "-f",
              log.toString(),
              "--rbac",
              rbac.toString(),
              "--user",
              user,
              "-o",
              output);
      Cli.Result b =
          Cli.run(
              "diff",
              "--usage",
              ledger.toString(),
              "--rbac",
              rbac.toString(),
              "--user",
              user,
              "-o",
              output);
      assertThat(b.exit()).as(b.err()).isEqualTo(a.exit());
      assertThat(b.out()).isEqualTo(a.out());
    }
  }

  /**
   * Refused requests (a literal {@code *}, an empty name segment: issue 15) keep their kind and
   * reason through a ledger: the real hkerma log with crafted requests of one of its service
   * accounts, written as the apiserver's log backend writes them.
   */
  @Test
  void refusedRequestsComeBackFromALedgerAsRefusedWithWhy() throws IOException {
    String user = "system:serviceaccount:ingress-nginx:my-ingress-nginx";
    List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
    Instant t =
        Instant.parse(JSON.readTree(lines.get(lines.size() / 2)).get("stageTimestamp").asString());
    String[][] crafted = {
      {"list", "/api/v1/namespaces/*/secrets", "403"},
      {"get", "/api/v1/namespaces/ingress-nginx/pods//log", "404"},
      {"*", "/logs", "403"},
      {"get", "/apis/*/v1/namespaces/ingress-nginx/configmaps", "403"},
    };
    int i = 0;
    for (String[] c : crafted) {
      lines.add(
          lines.size() / 2 + i,
          dev.rbacsynth.AuditEvents.request(
                  user, c[0], c[1], Integer.parseInt(c[2]), t.plusMillis(i++))
              .toJson());
    }
    Path withCrafted = Files.write(tmp.resolve("crafted.log"), lines, StandardCharsets.UTF_8);
    Path l = tmp.resolve("crafted.json");
    Cli.Result c = Cli.run("collect", "-f", withCrafted.toString(), "--output-file", l.toString());
    assertThat(c.exit()).as(c.err()).isZero();
    assertThat(Files.readString(l)).contains("\"use\":\"refused\"");
    for (String format : List.of("json", "txt")) {
      Path fromLog = tmp.resolve("denied-log." + format);
      Path fromLedger = tmp.resolve("denied-ledger." + format);
      Cli.Result a =
          Cli.run(
              "generate",
              "-f",
              withCrafted.toString(),
              "--user",
              user,
              "--denied-report",
              fromLog.toString());
      Cli.Result b =
          Cli.run(
              "generate",
              "--usage",
              l.toString(),
              "--user",
              user,
              "--denied-report",
              fromLedger.toString());
      assertThat(b.exit()).as(b.err()).isEqualTo(a.exit()).isZero();
      assertThat(b.out()).isEqualTo(a.out());
      assertThat(Files.readString(fromLedger)).isEqualTo(Files.readString(fromLog));
      // the count of refused events, one line per refused request with why, the denied summary
      assertThat(refusedLines(b.err()))
          .isEqualTo(refusedLines(a.err()))
          .hasSize(crafted.length + 2)
          .anyMatch(x -> x.contains("refused: * /logs (1x): verb \"*\" contains *"));
    }
    JsonNode report = JSON.readTree(tmp.resolve("denied-ledger.json").toFile());
    assertThat(report.path("summary").path("refused").asLong()).isEqualTo(crafted.length);
  }

  /**
   * collect takes the subject flags generate takes: one subject's usage, the same as the whole's.
   */
  @Test
  void collectOfOneSubjectKeepsOnlyItsUsage() throws IOException {
    String sa = "ingress-nginx:my-ingress-nginx";
    String user = "system:serviceaccount:" + sa;
    Path one = tmp.resolve("one.json");
    Cli.Result r =
        Cli.run(
            "collect",
            "-f",
            log.toString(),
            "--serviceaccount",
            sa,
            "--output-file",
            one.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode l = JSON.readTree(one.toFile());
    assertThat(l.path("subjects")).hasSize(1);
    assertThat(l.path("subjects").get(0).path("username").asString()).isEqualTo(user);
    // what was watched is still the whole log
    assertThat(l.path("observation").path("events").asLong())
        .isEqualTo(JSON.readTree(ledger.toFile()).path("observation").path("events").asLong());
    for (List<String> extra : List.of(List.<String>of(), List.of("-n", "ingress-nginx"))) {
      List<String> a = new ArrayList<>(List.of("generate", "-f", log.toString(), "--user", user));
      List<String> b = new ArrayList<>(List.of("generate", "--usage", one.toString()));
      b.addAll(List.of("--serviceaccount", sa));
      a.addAll(extra);
      b.addAll(extra);
      Cli.Result fromLog = Cli.run(a.toArray(String[]::new));
      Cli.Result fromLedger = Cli.run(b.toArray(String[]::new));
      assertThat(fromLedger.exit()).as(fromLedger.err()).isZero();
      assertThat(fromLedger.out()).isEqualTo(fromLog.out()).contains("kind: Role");
    }
    // a group: the users seen in it, here the service accounts of one namespace
    Path group = tmp.resolve("group.json");
    r =
        Cli.run(
            "collect",
            "-f",
            log.toString(),
            "--group",
            "system:serviceaccounts:ingress-nginx",
            "--output-file",
            group.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> names = new ArrayList<>();
    JSON.readTree(group.toFile())
        .path("subjects")
        .forEach(x -> names.add(x.path("username").asString()));
    assertThat(names)
        .isNotEmpty()
        .allMatch(n -> n.startsWith("system:serviceaccount:ingress-nginx:"));
    // two subjects at once are refused, as generate refuses them
    r =
        Cli.run(
            "collect",
            "-f",
            log.toString(),
            "--user",
            "alice",
            "--serviceaccount",
            sa,
            "--output-file",
            tmp.resolve("two.json").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("mutually exclusive");
  }

  /** generate --explain: the evidence per rule from a ledger is the evidence from the log. */
  @Test
  void explainFromTheLedgerEqualsExplainFromTheLog() throws IOException {
    List<String> users = subjects().limit(6).toList();
    for (String user : users) {
      for (String format : List.of("json", "md", "txt")) {
        Path fromLog = tmp.resolve("explain-log." + format);
        Path fromLedger = tmp.resolve("explain-ledger." + format);
        Cli.Result a =
            Cli.run(
                "generate", "-f", log.toString(), "--user", user, "--explain", fromLog.toString());
        Cli.Result b =
            Cli.run(
                "generate",
                "--usage",
                ledger.toString(),
                "--user",
                user,
                "--explain",
                fromLedger.toString());
        assertThat(b.exit()).as(b.err()).isEqualTo(a.exit());
        assertThat(Files.readString(fromLedger))
            .as("%s %s", user, format)
            .isEqualTo(Files.readString(fromLog))
            .isNotBlank();
      }
    }
  }

  /** generate --all-subjects --output-dir: the same files from a ledger as from the log. */
  @Test
  void allSubjectsFromTheLedgerEqualsAllSubjectsFromTheLog() throws IOException {
    Path a = tmp.resolve("from-log");
    Path b = tmp.resolve("from-ledger");
    Cli.Result fromLog =
        Cli.run(
            "generate",
            "-f",
            log.toString(),
            "--all-subjects",
            "--output-dir",
            a.toString(),
            "--explain",
            tmp.resolve("all-log.md").toString());
    Cli.Result fromLedger =
        Cli.run(
            "generate",
            "--usage",
            ledger.toString(),
            "--all-subjects",
            "--output-dir",
            b.toString(),
            "--explain",
            tmp.resolve("all-ledger.md").toString());
    assertThat(fromLog.exit()).as(fromLog.err()).isZero();
    assertThat(fromLedger.exit()).as(fromLedger.err()).isZero();
    List<String> files;
    try (Stream<Path> list = Files.list(a)) {
      files = list.map(p -> p.getFileName().toString()).sorted().toList();
    }
    try (Stream<Path> list = Files.list(b)) {
      assertThat(list.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(files);
    }
    assertThat(files).contains("kustomization.yaml").hasSizeGreaterThan(5);
    for (String f : files) {
      assertThat(Files.readString(b.resolve(f))).as(f).isEqualTo(Files.readString(a.resolve(f)));
    }
    assertThat(Files.readString(tmp.resolve("all-ledger.md")))
        .isEqualTo(Files.readString(tmp.resolve("all-log.md")));
  }

  /** The summary's lines about refused and unused events (the rest says how long reading took). */
  private static List<String> refusedLines(String err) {
    return err.lines().filter(x -> x.contains("refused")).toList();
  }

  @Test
  void collectingTheSameFileAgainChangesNothing() throws IOException {
    Path again = tmp.resolve("again.json");
    Files.copy(ledger, again);
    Cli.Result r = updateInPlace(log, again);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Files.readString(again)).isEqualTo(Files.readString(ledger));
    // and merging a ledger with itself
    Path self = tmp.resolve("self.json");
    Cli.run(
        "collect",
        "--usage",
        ledger.toString(),
        "--usage",
        ledger.toString(),
        "--output-file",
        self.toString());
    assertThat(Files.readString(self)).isEqualTo(Files.readString(ledger));
  }

  @Test
  void aGrowingRotatingLiveFileCollectedRepeatedlyCountsEachEventOnce() throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    int n = lines.size();
    Path dir = Files.createDirectories(tmp.resolve("audit"));
    Path live = dir.resolve("audit.log");
    Path l = tmp.resolve("live.json.gz");
    // 1: the first 3000 lines and half of the next one (the apiserver is writing it)
    String partial = lines.get(3000);
    write(live, String.join("\n", lines.subList(0, 3000)) + "\n" + partial.substring(0, 40), false);
    collect(dir, l);
    // 2: the rest of that line and more
    write(
        live,
        partial.substring(40) + "\n" + String.join("\n", lines.subList(3001, 8000)) + "\n",
        true);
    collect(dir, l);
    collect(dir, l); // nothing new
    // 3: rotation renames the file, a new one starts
    Files.move(live, dir.resolve("audit-2023-01-27T18-30-00.000.log"));
    write(
        dir.resolve("audit-2023-01-27T18-30-00.000.log"),
        String.join("\n", lines.subList(8000, 9000)) + "\n",
        true);
    write(live, String.join("\n", lines.subList(9000, 12000)) + "\n", false);
    collect(dir, l);
    // 4: the rotated file is gzipped, the live one grows
    Path rotated = dir.resolve("audit-2023-01-27T18-30-00.000.log");
    try (OutputStream gz =
        new GZIPOutputStream(
            Files.newOutputStream(dir.resolve("audit-2023-01-27T18-30-00.000.log.gz")))) {
      gz.write(Files.readAllBytes(rotated));
    }
    Files.delete(rotated);
    write(live, String.join("\n", lines.subList(12000, n)) + "\n", true);
    collect(dir, l);
    collect(dir, l);

    Path whole = tmp.resolve("whole.json");
    assertThat(Cli.run("collect", "-f", log.toString(), "--output-file", whole.toString()).exit())
        .isZero();
    assertThat(withoutSources(read(l))).isEqualTo(withoutSources(read(whole)));
    assertThat(read(l).path("observation").path("events").asLong()).isEqualTo(n);
  }

  /**
   * review8 F14: hkerma's lines are up to 21 s out of time order (line 10075 has a stageTimestamp
   * of 18:29:19 among lines of 18:30), more than the edge slack. Collected as its first 8000 lines
   * and then the rest, the watch 5de00800 (ResponseStarted at line 7935, ResponseComplete at 8047,
   * no RequestReceived logged) was counted twice: once as the first run's open request, once as a
   * request of the second run. The second run now knows the first one's open requests.
   */
  @Test
  void aRequestOpenAtTheEndOfOneRunIsCompletedByTheNextWhateverTheLinesTimes() throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertThat(lines.get(7934)).contains("5de00800-c69d-4f80-9cfd-d7eaa4f3dd5a", "ResponseStarted");
    assertThat(lines.get(8046))
        .contains("5de00800-c69d-4f80-9cfd-d7eaa4f3dd5a", "ResponseComplete");
    Path dir = Files.createDirectories(tmp.resolve("f14"));
    Path live = dir.resolve("audit.log");
    Path l = tmp.resolve("f14.json");
    write(live, String.join("\n", lines.subList(0, 8000)) + "\n", false);
    collect(dir, l);
    assertThat(Files.readString(l))
        .contains("\"auditID\":\"5de00800-c69d-4f80-9cfd-d7eaa4f3dd5a\"");
    write(live, String.join("\n", lines.subList(8000, lines.size())) + "\n", true);
    collect(dir, l);

    Path whole = tmp.resolve("f14-whole.json");
    assertThat(Cli.run("collect", "-f", log.toString(), "--output-file", whole.toString()).exit())
        .isZero();
    assertThat(withoutSources(read(l))).isEqualTo(withoutSources(read(whole)));
    String[] admin = {"generate", "-o", "json", "--user", "kubernetes-admin", "--usage"};
    assertThat(Cli.run(concat(admin, l.toString())).out())
        .isEqualTo(Cli.run(concat(admin, whole.toString())).out());
  }

  private static String[] concat(String[] head, String last) {
    String[] all = java.util.Arrays.copyOf(head, head.length + 1);
    all[head.length] = last;
    return all;
  }

  /** One log under two names would be read twice from the same offset: refused, exit 2. */
  @Test
  void oneLogUnderTwoNamesIsRefusedRatherThanCountedTwice() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("twins"));
    Path a = Files.copy(log, dir.resolve("audit.log"));
    Path copy = Files.copy(log, dir.resolve("audit.log.bak"));
    Path link = Files.createLink(tmp.resolve("linked.log"), a);
    Path out = tmp.resolve("twins.json");
    for (String[] inputs :
        List.of(
            new String[] {"-f", dir.toString()},
            new String[] {"-f", a.toString(), "-f", link.toString()})) {
      List<String> args = new ArrayList<>(List.of("collect", "-q"));
      args.addAll(List.of(inputs));
      args.addAll(List.of("--output-file", out.toString()));
      Cli.Result r = Cli.run(args.toArray(String[]::new));
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err().strip())
          .startsWith("error: ")
          .contains("begin with the same 1024 bytes: the same log under two names")
          .doesNotContain("\n");
      assertThat(out).doesNotExist();
    }
    assertThat(copy).exists();
  }

  private static void write(Path p, String text, boolean append) throws IOException {
    if (append) {
      Files.writeString(p, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    } else {
      Files.writeString(p, text, StandardCharsets.UTF_8);
    }
  }

  private static void collect(Path dir, Path l) {
    List<String> args = new ArrayList<>(List.of("collect", "-q", "-f", dir.toString()));
    if (Files.exists(l)) {
      args.addAll(List.of("--usage", l.toString()));
    }
    args.addAll(List.of("--output-file", l.toString()));
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
  }

  private static JsonNode read(Path p) throws IOException {
    byte[] b = Files.readAllBytes(p);
    if (p.toString().endsWith(".gz")) {
      b = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(b)).readAllBytes();
    }
    return JSON.readTree(b);
  }

  private static String withoutSources(JsonNode n) {
    ObjectNode copy = (ObjectNode) n.deepCopy();
    ((ObjectNode) copy.get("observation")).remove("sources");
    return copy.toString();
  }

  @Test
  void sinceDropsTheRequestsBeforeIt() throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    Instant since = Instant.parse("2023-01-27T18:30:00Z");
    List<String> later = new ArrayList<>();
    for (String line : lines) {
      Instant t = Instant.parse(JSON.readTree(line).path("requestReceivedTimestamp").asString());
      if (!t.isBefore(since)) {
        later.add(line);
      }
    }
    assertThat(later.size()).isBetween(1000, lines.size() - 1000);
    Path cut = tmp.resolve("later.log");
    Files.write(cut, later, StandardCharsets.UTF_8);
    String user = "system:serviceaccount:cert-manager:my-cert-manager";
    Cli.Result windowed =
        Cli.run("generate", "-f", log.toString(), "--since", since.toString(), "--user", user);
    Cli.Result expected = Cli.run("generate", "-f", cut.toString(), "--user", user);
    assertThat(windowed.out()).isEqualTo(expected.out());
    // collect --since: no request seen before it
    Path l = tmp.resolve("since.json");
    assertThat(
            Cli.run(
                    "collect",
                    "-f",
                    log.toString(),
                    "--since",
                    since.toString(),
                    "--output-file",
                    l.toString())
                .exit())
        .isZero();
    JsonNode root = read(l);
    assertThat(Instant.parse(root.path("observation").path("from").asString()))
        .isAfterOrEqualTo(since);
    for (JsonNode s : root.path("subjects")) {
      for (JsonNode r : s.path("requests")) {
        assertThat(Instant.parse(r.path("firstSeen").asString())).isAfterOrEqualTo(since);
      }
    }
    assertThat(Cli.run("generate", "--usage", l.toString(), "--user", user).out())
        .isEqualTo(expected.out());
  }

  @Test
  void noBodiesNoSourceIpsNoSecretsInALedger() throws IOException {
    String secret = "c3VwZXItc2VjcmV0LXBhc3N3b3JkLTQyNDI=";
    String ip = "203.0.113.77";
    String event =
        "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"RequestResponse\","
            + "\"auditID\":\"5b9c3f0e-1f5e-4a57-9d0b-6f1f2a3b4c5d\",\"stage\":\"ResponseComplete\","
            + "\"requestURI\":\"/api/v1/namespaces/shop/secrets\",\"verb\":\"create\","
            + "\"user\":{\"username\":\"system:serviceaccount:shop:web\",\"uid\":\"0b1c\","
            + "\"groups\":[\"system:serviceaccounts\",\"system:serviceaccounts:shop\",\"system:authenticated\"]},"
            + "\"sourceIPs\":[\""
            + ip
            + "\"],\"userAgent\":\"web/1.0\","
            + "\"objectRef\":{\"resource\":\"secrets\",\"namespace\":\"shop\",\"name\":\"db\",\"apiVersion\":\"v1\"},"
            + "\"responseStatus\":{\"metadata\":{},\"code\":201},"
            + "\"requestObject\":{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"db\"},\"data\":{\"password\":\""
            + secret
            + "\"}},"
            + "\"responseObject\":{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"db\"},\"data\":{\"password\":\""
            + secret
            + "\"}},"
            + "\"requestReceivedTimestamp\":\"2026-12-01T10:00:00.000000Z\",\"stageTimestamp\":\"2026-12-01T10:00:00.010000Z\","
            + "\"annotations\":{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"\"}}\n";
    Path f = tmp.resolve("secret.log");
    Files.writeString(f, event);
    Path l = tmp.resolve("secret.json");
    assertThat(Cli.run("collect", "-f", f.toString(), "--output-file", l.toString()).exit())
        .isZero();
    String ledgerText = Files.readString(l);
    assertThat(ledgerText).contains("system:serviceaccount:shop:web").contains("web/1.0");
    assertThat(ledgerText).doesNotContain(secret).doesNotContain(ip).doesNotContain("password");
  }

  @Test
  void aBadLedgerIsOneErrorNamingTheFileAndTheOldLedgerSurvivesAFailedCollect() throws IOException {
    Path bad = tmp.resolve("bad.json");
    String text = Files.readString(ledger);
    Files.writeString(bad, text.substring(0, text.length() / 3));
    Cli.Result r = Cli.run("generate", "--usage", bad.toString(), "--user", "x");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip())
        .startsWith("error: " + bad + ": not a usage ledger")
        .doesNotContain("\n");
    Path kept = tmp.resolve("kept.json");
    Files.copy(ledger, kept);
    Cli.Result failed =
        Cli.run(
            "collect",
            "-f",
            tmp.resolve("missing.log").toString(),
            "--usage",
            kept.toString(),
            "--output-file",
            kept.toString());
    assertThat(failed.exit()).isEqualTo(2);
    assertThat(Files.readString(kept)).isEqualTo(text);
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  /** A log that a ledger already holds, given again with -f, is not counted twice. */
  @Test
  void aLogTheLedgerHoldsIsNotCountedTwiceByGenerate() {
    String user = "system:kube-scheduler";
    Cli.Result both =
        Cli.run("generate", "--usage", ledger.toString(), "-f", log.toString(), "--user", user);
    Cli.Result logOnly = Cli.run("generate", "-f", log.toString(), "--user", user);
    assertThat(both.exit()).as(both.err()).isZero();
    assertThat(both.out()).isEqualTo(logOnly.out());
    String observed = observedLine(logOnly.err());
    assertThat(observedLine(both.err())).isEqualTo(observed);
    assertThat(both.err()).contains("read 0 records").contains("and 1 usage ledger(s)");
  }

  private static String observedLine(String err) {
    return err.lines().filter(l -> l.startsWith("rbac-synth: observed ")).findFirst().orElseThrow();
  }

  /** A corrupt gzip member in a rotated file is reported by collect as by generate, never lost. */
  @Test
  void aCorruptGzipMemberIsReportedByCollect() throws IOException {
    List<String> demo = Files.readAllLines(Path.of("testdata/demo.log"));
    byte[] first = gzipped(demo.subList(0, 12));
    byte[] middle = gzipped(demo.subList(12, 25));
    byte[] last = gzipped(demo.subList(25, demo.size()));
    java.util.Arrays.fill(middle, middle.length / 2, middle.length / 2 + 40, (byte) 0xA5);
    Path rotated = tmp.resolve("audit.log.1.gz");
    try (OutputStream out = Files.newOutputStream(rotated)) {
      out.write(first);
      out.write(middle);
      out.write(last);
    }
    String expected = "corrupt gzip data in the member at byte " + first.length;
    Cli.Result collect =
        Cli.run(
            "collect", "-f", rotated.toString(), "--output-file", tmp.resolve("u.json").toString());
    assertThat(collect.err()).contains("warning: " + rotated + ": " + expected);
    Cli.Result generate = Cli.run("generate", "-f", rotated.toString(), "--user", "alice");
    assertThat(generate.err()).contains("warning: " + rotated + ": " + expected);
    Cli.Result strict =
        Cli.run(
            "collect",
            "-f",
            rotated.toString(),
            "--strict",
            "--output-file",
            tmp.resolve("strict.json").toString());
    assertThat(strict.exit()).isEqualTo(2);
    assertThat(tmp.resolve("strict.json")).doesNotExist();
  }

  /**
   * A gzip file that grows by whole members (as log shippers write them), collected again and
   * again: damage is reported by the collect that reads the bytes it cut, never again by a later
   * one that reads only the new members; damage in the new members is reported.
   */
  @Test
  void gzipDamageIsReportedOnceWhenAGrowingFileIsCollectedAgain() throws IOException {
    List<String> demo = Files.readAllLines(Path.of("testdata/demo.log"));
    byte[] first = gzipped(demo.subList(0, 12));
    byte[] middle = gzipped(demo.subList(12, 20));
    Arrays.fill(middle, middle.length / 2, middle.length / 2 + 40, (byte) 0xA5);
    Path log = tmp.resolve("audit.log.gz");
    Files.write(log, first);
    Files.write(log, middle, StandardOpenOption.APPEND);
    Path ledger = tmp.resolve("u.json");
    String damage = "corrupt gzip data in the member at byte " + first.length;
    Cli.Result one = Cli.run("collect", "-f", log.toString(), "--output-file", ledger.toString());
    assertThat(one.exit()).isZero();
    assertThat(one.err()).contains(damage);
    long eventsBefore = events(ledger);

    Files.write(log, gzipped(demo.subList(20, 25)), StandardOpenOption.APPEND);
    Cli.Result two = updateInPlace(log, ledger);
    assertThat(two.exit()).isZero();
    assertThat(two.err())
        .as("the damage lies before what this collect read")
        .doesNotContain(damage);
    assertThat(events(ledger)).isEqualTo(eventsBefore + 5);

    Files.write(log, gzipped(demo.subList(25, 28)), StandardOpenOption.APPEND);
    byte[] broken = gzipped(demo.subList(28, demo.size()));
    long at = Files.size(log);
    Arrays.fill(broken, broken.length / 2, broken.length / 2 + 40, (byte) 0xA5);
    Files.write(log, broken, StandardOpenOption.APPEND);
    Cli.Result three = updateInPlace(log, ledger);
    assertThat(three.err())
        .doesNotContain(damage)
        .contains("corrupt gzip data in the member at byte " + at);
  }

  /**
   * A gzipped file whose last line is not ended yet (a member cut mid-line) is read up to its last
   * whole line; the line is read once the next member ends it, and nothing is counted twice.
   */
  @Test
  void aGzipFileIsReadUpToItsLastWholeLine() throws IOException {
    List<String> demo = Files.readAllLines(Path.of("testdata/demo.log"));
    String line = demo.get(10);
    String head = String.join("\n", demo.subList(0, 10)) + "\n" + line.substring(0, 40);
    Path log = tmp.resolve("audit.log.gz");
    Files.write(log, gzippedText(head));
    Path ledger = tmp.resolve("u.json");
    Cli.Result one = Cli.run("collect", "-f", log.toString(), "--output-file", ledger.toString());
    assertThat(one.exit()).isZero();
    assertThat(one.err()).doesNotContain("malformed");
    assertThat(events(ledger)).isEqualTo(10);
    Files.write(
        log,
        gzippedText(line.substring(40) + "\n" + String.join("\n", demo.subList(11, 15)) + "\n"),
        StandardOpenOption.APPEND);
    Cli.Result two = updateInPlace(log, ledger);
    assertThat(two.exit()).isZero();
    assertThat(two.err()).doesNotContain("malformed");
    assertThat(events(ledger)).isEqualTo(15);
    Path whole = tmp.resolve("whole.json");
    Cli.run("collect", "-f", log.toString(), "--output-file", whole.toString());
    assertThat(events(whole)).isEqualTo(15);
  }

  /** {@code observation.events} of a ledger file. */
  private static long events(Path ledger) throws IOException {
    return JsonMapper.builder()
        .build()
        .readTree(ledger.toFile())
        .path("observation")
        .path("events")
        .asLong();
  }

  private static byte[] gzippedText(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static byte[] gzipped(List<String> lines) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
