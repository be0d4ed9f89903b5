package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.HkermaAuditLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A ledger collected with a subject flag or -n records that scope and is read only inside it, on
 * the real hkerma log. Before, the scope was not recorded: a ledger collected with {@code
 * --serviceaccount ingress-nginx:my-ingress-nginx -n ingress-nginx} (the help's own example form)
 * was read by {@code diff} as if it held every request of that service account, and reported 6
 * requests that the RBAC would deny where the log has 18 (the cluster-scoped ones were never
 * collected); asked about another user it answered with an empty role.
 */
class LedgerScopeTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String SA = "ingress-nginx:my-ingress-nginx";
  private static final String NS = "ingress-nginx";
  private static final String RBAC = "testdata/rbac/ingress-nginx-controller-v1.5.1";

  @TempDir static Path shared;
  @TempDir Path tmp;

  private static Path log;
  private static Path first;
  private static Path second;
  private static Path all;
  private static Path scoped;

  @BeforeAll
  static void collectOnce() throws IOException {
    log = HkermaAuditLog.jsonl();
    List<String> lines = Files.readAllLines(log);
    first = shared.resolve("first.log");
    second = shared.resolve("second.log");
    Files.write(first, lines.subList(0, lines.size() / 2));
    Files.write(second, lines.subList(lines.size() / 2, lines.size()));
    all = shared.resolve("all.json");
    ok(collect(all, "-f", log));
    scoped = shared.resolve("scoped.json");
    ok(collect(scoped, "-f", log, "--serviceaccount", SA, "-n", NS));
  }

  /** {@code collect ARGS --output-file OUTPUT}. */
  private static Cli.Result collect(Path output, Object... args) {
    List<String> command = new ArrayList<>(List.of("collect"));
    for (Object a : args) {
      command.add(a.toString());
    }
    command.addAll(List.of("--output-file", output.toString()));
    return Cli.run(command.toArray(String[]::new));
  }

  /** {@code diff FLAG INPUT --serviceaccount SA --rbac RBAC -o json}. */
  private static Cli.Result diffJson(String flag, Path input) {
    return Cli.run(
        "diff", flag, input.toString(), "--serviceaccount", SA, "--rbac", RBAC, "-o", "json");
  }

  private static Cli.Result ok(Cli.Result r) {
    assertThat(r.exit()).as(r.err()).isZero();
    return r;
  }

  private static Cli.Result refused(Cli.Result r) {
    assertThat(r.exit()).as(r.out()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    return r;
  }

  @Test
  void theScopeIsWrittenOnlyWhenThereIsOne() throws IOException {
    JsonNode scope = JSON.readTree(scoped.toFile()).path("observation").path("scope");
    assertThat(scope.propertyNames())
        .containsExactly("username", "namespace"); // no group: only what was given
    assertThat(scope.path("username").asString()).isEqualTo("system:serviceaccount:" + SA);
    assertThat(scope.path("namespace").asString()).isEqualTo(NS);
    assertThat(JSON.readTree(all.toFile()).path("observation").has("scope")).isFalse();
    assertThat(Files.readString(scoped)).contains("\"apiVersion\": \"rbac-synth.dev/v1alpha4\"");
  }

  @Test
  void diffDoesNotReadANamespaceLedgerAsTheWholeServiceAccount() throws IOException {
    // exit 1: requests the RBAC would deny
    Cli.Result fromLog = diffJson("-f", log);
    assertThat(fromLog.exit()).as(fromLog.err()).isEqualTo(1);
    assertThat(JSON.readTree(fromLog.out()).path("summary").path("missing").asInt()).isEqualTo(18);
    Cli.Result fromLedger =
        refused(
            Cli.run("diff", "--usage", scoped.toString(), "--serviceaccount", SA, "--rbac", RBAC));
    assertThat(fromLedger.err())
        .startsWith("error: " + scoped + ": collected with --serviceaccount " + SA + " -n " + NS)
        .contains(
            "cannot answer for serviceaccount ingress-nginx/my-ingress-nginx in every namespace")
        .endsWith("; collect the logs again without -n\n"); // diff has no -n to give
  }

  /** Every output read from a scoped ledger says what the ledger holds, as it says the window. */
  @Test
  void theOutputsSayWhatTheLedgerHolds() throws IOException {
    String held =
        "; collected with --serviceaccount "
            + SA
            + " -n "
            + NS
            + ": only serviceaccount ingress-nginx/my-ingress-nginx's requests in namespace "
            + NS
            + " (none cluster-scoped or non-resource)";
    assertThat(ok(Cli.run("subjects", "--usage", scoped.toString(), "-n", NS)).out())
        .startsWith("OBSERVED: ")
        .contains("16563 audit event(s)" + held + "\n");
    assertThat(
            ok(Cli.run("generate", "--usage", scoped.toString(), "--serviceaccount", SA, "-n", NS))
                .err())
        .contains("16563 audit event(s)" + held + ";");
    Path one = tmp.resolve("one.json");
    ok(collect(one, "-f", log, "--serviceaccount", SA));
    Cli.Result diff = diffJson("--usage", one);
    assertThat(diff.exit()).as(diff.err()).isEqualTo(1); // requests the RBAC would deny
    JsonNode observation = JSON.readTree(diff.out()).path("observation");
    assertThat(observation.path("scope").propertyNames()).containsExactly("username");
    assertThat(observation.path("scope").path("username").asString())
        .isEqualTo("system:serviceaccount:" + SA);
    // a ledger of every subject, and a log, say nothing of a scope
    Cli.Result whole = diffJson("--usage", all);
    assertThat(JSON.readTree(whole.out()).path("observation").has("scope")).isFalse();
    assertThat(whole.out()).isEqualTo(diffJson("-f", log).out());
  }

  @Test
  void generateAnswersInsideTheScopeOnly() {
    Cli.Result other = refused(Cli.run("generate", "--usage", scoped.toString(), "--user", "bob"));
    assertThat(other.err()).contains("cannot answer for user bob;");
    Cli.Result everyNamespace =
        refused(Cli.run("generate", "--usage", scoped.toString(), "--serviceaccount", SA));
    assertThat(everyNamespace.err()).contains("give -n " + NS + ", or collect the logs again");
    Cli.Result inside =
        ok(Cli.run("generate", "--usage", scoped.toString(), "--serviceaccount", SA, "-n", NS));
    assertThat(inside.out())
        .contains("kind: Role")
        .isEqualTo(
            Cli.run("generate", "-f", log.toString(), "--serviceaccount", SA, "-n", NS).out());
    // every subject of logs read beside it: the ledger knows only its own
    Cli.Result allSubjects =
        refused(
            Cli.run(
                "generate",
                "--all-subjects",
                "-n",
                NS,
                "-f",
                second.toString(),
                "--usage",
                scoped.toString(),
                "--output-dir",
                tmp.resolve("out").toString()));
    assertThat(allSubjects.err()).contains(scoped + ": collected with");
    // the subjects listing of the ledger alone, in its namespace
    Cli.Result listing = ok(Cli.run("subjects", "--usage", scoped.toString(), "-n", NS));
    assertThat(listing.out()).contains("my-ingress-nginx").doesNotContain("cert-manager");
  }

  /**
   * A group's ledger answers for the group, and for a user whose every request the apiserver puts
   * in it (a service account in its namespace's group); not for a user only seen in it.
   */
  @Test
  void aGroupLedgerAnswersForTheMembersItHoldsWhole() {
    Path group = tmp.resolve("group.json");
    String g = "system:serviceaccounts:" + NS;
    ok(collect(group, "-f", log, "--group", g));
    assertThat(ok(Cli.run("generate", "--usage", group.toString(), "--serviceaccount", SA)).out())
        .contains("kind: Role")
        .isEqualTo(Cli.run("generate", "-f", log.toString(), "--serviceaccount", SA).out());
    assertThat(ok(Cli.run("generate", "--usage", group.toString(), "--group", g)).out())
        .isEqualTo(Cli.run("generate", "-f", log.toString(), "--group", g).out());
    Cli.Result other =
        refused(
            Cli.run(
                "generate",
                "--usage",
                group.toString(),
                "--serviceaccount",
                "kube-system:coredns"));
    assertThat(other.err()).contains("collected with --group " + g);
  }

  @Test
  void anHourlyCollectKeepsTheScopeOfItsLedger() throws IOException {
    Path hourly = tmp.resolve("hourly.json");
    ok(collect(hourly, "-f", first, "--serviceaccount", SA));
    // the next run as cron gives it: no flags
    Cli.Result next = ok(collect(hourly, "-f", second, "--usage", hourly));
    assertThat(next.err())
        .contains("note: collecting --serviceaccount " + SA + ", the scope of " + hourly);
    Path once = tmp.resolve("once.json");
    ok(collect(once, "-f", first, "-f", second, "--serviceaccount", SA));
    assertThat(Files.readString(hourly)).isEqualTo(Files.readString(once));
  }

  @Test
  void aLedgerOfEverySubjectNarrowsExactlyToOneSubject() throws IOException {
    Path one = tmp.resolve("one.json");
    ok(collect(one, "--usage", all, "--serviceaccount", SA));
    Path fromLog = tmp.resolve("from-log.json");
    ok(collect(fromLog, "-f", log, "--serviceaccount", SA));
    assertThat(Files.readString(one)).isEqualTo(Files.readString(fromLog));
    // the whole and the part merged under the part's scope: the part
    Path merged = tmp.resolve("merged.json");
    ok(collect(merged, "--usage", all, "--usage", one, "--serviceaccount", SA));
    assertThat(Files.readString(merged)).isEqualTo(Files.readString(fromLog));
    // without flags the two scopes are not one: refused, naming both
    Cli.Result mixed = refused(collect(tmp.resolve("mixed.json"), "--usage", all, "--usage", one));
    assertThat(mixed.err())
        .contains(all + " holds every subject's requests in every namespace but " + one);
  }

  @Test
  void whatCannotBeNarrowedExactlyIsRefused() {
    // a namespace: a subject's events per day count every event it made
    Cli.Result namespace = refused(collect(tmp.resolve("ns.json"), "--usage", all, "-n", NS));
    assertThat(namespace.err())
        .contains(
            all
                + ": a ledger of every subject's requests in every namespace cannot be narrowed to -n "
                + NS);
    // a ledger of one service account holds nothing of another user
    Cli.Result wider =
        refused(collect(tmp.resolve("bob.json"), "--usage", scoped, "--user", "bob"));
    assertThat(wider.err()).contains(scoped + ": the ledger holds only").contains("--user bob");
    assertThat(tmp.resolve("bob.json")).doesNotExist();
  }
}
