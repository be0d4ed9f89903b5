package dev.rbacsynth.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long lines (RequestResponse bodies) are parsed without their bodies, with the same result and
 * checks.
 */
class BodyFilterTest {
  @TempDir Path dir;

  /**
   * Case 28 (a RoleBinding create at Request level) with a 40 KB response body, as RequestResponse
   * logs it.
   */
  private static String bigEvent() throws IOException {
    String event = Files.readString(Path.of("testdata/semantics/case-28.jsonl")).strip();
    String body =
        "{\"kind\":\"RoleBinding\",\"metadata\":{\"annotations\":{\"big\":\""
            + "x".repeat(40_000)
            + "\"}},\"spec\":{\"signerName\":\"not-read-here\"}}";
    return event
        .replace("\"level\":\"Request\"", "\"level\":\"RequestResponse\"")
        .replace(
            "\"requestObject\":{",
            "\"responseObject\":"
                + body
                + ",\"requestObject\":{\"spec\":{\"x\":["
                + "1,".repeat(2000)
                + "1]},");
  }

  @Test
  void bodiesAreSkippedButRoleRefIsKept() throws IOException {
    Path log = Files.writeString(dir.resolve("big.log"), bigEvent() + "\n");
    assertThat(Files.size(log)).isGreaterThan(40_000);
    Cli.Result r =
        Cli.run("-f", log.toString(), "--serviceaccount", "platform:onboarder", "--exact", "-q");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("- bind").contains("- edit").contains("- rolebindings");
  }

  @Test
  void aMalformedBodyOrTrailingDataIsStillAnError() throws IOException {
    String event = bigEvent();
    String broken = event.replace("\"big\":\"", "\"big\":\"\\q");
    Path log =
        Files.writeString(
            dir.resolve("bad.log"),
            broken + "\n" + event + " {}\n" + event + " trailing\n" + event + "\n");
    Cli.Result r =
        Cli.run("-f", log.toString(), "--serviceaccount", "platform:onboarder", "--exact", "-q");
    // Values concatenated on one line are each read (as Firehose deliveries are written), so the
    // trailing {} is reported for what it is; text that is no JSON value is malformed.
    assertThat(r.err())
        .contains(log + ":1: malformed JSON: an invalid escape sequence in a string")
        .contains(log + ":2: not an audit Event")
        .contains(log + ":3: malformed JSON: unexpected text after a JSON value: \"trailing\"");
    assertThat(r.out()).contains("- bind");
  }
}
