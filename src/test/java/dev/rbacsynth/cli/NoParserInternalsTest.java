package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 §5: no message shows the JSON parser's internals (its class names, its limits by their
 * setter, "Unrecognized token", source excerpts), whatever the broken input: each bad line of an
 * audit log, a ledger and a baseline get one line in the user's words, with the file and line.
 */
class NoParserInternalsTest {
  @TempDir Path dir;

  /** Broken JSON of every kind the parser reports, each on its line, and what is said of it. */
  private static final List<String[]> BROKEN =
      List.of(
          new String[] {
            "{\"kind\":\"Event\",\"verb\" \"get\"}",
            "unexpected character '\"' where ':' was expected"
          },
          new String[] {
            "{\"kind\":\"Event\",}",
            "unexpected character '}' where a quoted property name was expected"
          },
          new String[] {
            "{'kind':'Event'}", "unexpected character ''' where a quoted property name was expected"
          },
          new String[] {"{\"kind\":\"Ev\\qent\"}", "an invalid escape sequence in a string"},
          new String[] {"{\"kind\":\"Ev\u0001ent\"}", "a control character inside a string"},
          new String[] {"{\"kind\":\"Event\",\"n\":01}", "an invalid number"},
          new String[] {"{\"kind\":\"Event\",\"n\":NaN}", "an invalid number"},
          new String[] {"{\"kind\":\"Event\",\"ok\":tru}", "unexpected text 'tru'"},
          new String[] {"{\"kind\":\"Event\",\"a\":[1,2}", "unexpected '}'"},
          new String[] {
            "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}",
            "nested more than 500 levels deep"
          },
          new String[] {
            "{\"kind\":\"Event\",\"n\":" + "7".repeat(2000) + "}", "a number longer than"
          },
          new String[] {"{\"" + "k".repeat(60_000) + "\":1}", "a property name longer than"},
          new String[] {"{\"kind\":\"Event\",\"verb\":\"get\"", "not complete (truncated?)"});

  @Test
  void everyBrokenLineIsSaidInPlainWords() throws IOException {
    List<String> demo = Files.readAllLines(Path.of("testdata/demo.log"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<String> lines = new ArrayList<>();
    for (String[] broken : BROKEN) {
      lines.add(broken[0]);
      lines.add(demo.get(lines.size() % demo.size()));
    }
    for (String line : lines) {
      bytes.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    bytes.writeBytes(new byte[] {'{', '"', 'k', (byte) 0xC3, '"', ':', '1', '}', '\n'});
    Path log = Files.write(dir.resolve("broken.log"), bytes.toByteArray());
    Cli.Result r = Cli.run("generate", "-f", log.toString(), "--user", "alice", "-q");
    InputMessagesTest.assertClean(r.err());
    List<String> warnings = r.err().lines().filter(l -> l.startsWith("warning: " + log)).toList();
    assertThat(warnings).hasSize(BROKEN.size() + 1);
    for (int i = 0; i < BROKEN.size(); i++) {
      assertThat(warnings.get(i))
          .startsWith("warning: " + log + ":" + (2 * i + 1) + ": malformed JSON: ")
          .contains(BROKEN.get(i)[1])
          .endsWith(" (skipped)");
    }
    assertThat(warnings.get(BROKEN.size())).contains("not UTF-8 text");
    for (int i = 0; i < BROKEN.size(); i++) {
      Path one = Files.writeString(dir.resolve("one.log"), BROKEN.get(i)[0] + "\n");
      Cli.Result strict = Cli.run("generate", "-f", one.toString(), "--user", "alice", "--strict");
      assertThat(strict.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
      assertThat(strict.err().lines()).hasSize(1);
      assertThat(strict.err()).startsWith("error: " + one + ":1: malformed JSON: ");
      InputMessagesTest.assertClean(strict.err());
    }
  }

  @Test
  void aBrokenLedgerOrBaselineIsSaidInPlainWords() throws IOException {
    for (String[] broken : BROKEN) {
      Path ledger = Files.writeString(dir.resolve("usage.json"), broken[0]);
      Cli.Result r = Cli.run("generate", "--usage", ledger.toString(), "--user", "alice");
      assertThat(r.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
      assertThat(r.err().lines().findFirst().orElseThrow()).startsWith("error: " + ledger + ": ");
      InputMessagesTest.assertClean(r.err());
      Path baseline = Files.writeString(dir.resolve("baseline.json"), broken[0]);
      Cli.Result d =
          Cli.run(
              "diff",
              "--rbac",
              "testdata/rbac/flannel-v0.20.2",
              "-f",
              "testdata/demo.log",
              "--user",
              "alice",
              "--baseline",
              baseline.toString());
      assertThat(d.exit()).isEqualTo(ExitCodes.USAGE_OR_INPUT);
      assertThat(d.err()).contains(baseline + ": not a baseline (invalid JSON): ");
      InputMessagesTest.assertClean(d.err());
    }
  }
}
