package dev.rbacsynth.attributes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.ObjectReference;
import dev.rbacsynth.event.RequestBody;
import dev.rbacsynth.event.Stage;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.select.SubjectRole;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Interpretation bugs found by {@code dev.rbacsynth.fuzz.RequestInterpretationFuzzTest}, pinned by
 * plain examples (the fuzzer's reproducer is kept in its inputs directory too).
 */
class FuzzFindingsTest {

  private static AuditEvent serviceAccountConstraintOnAUser(Stage stage) {
    return new AuditEvent(
        "1",
        stage,
        "/api/v1/namespaces/default/pods?watch=true",
        "watch",
        UserInfo.of("ci-bot", List.of()),
        UserInfo.of("bob", List.of()),
        "impersonate:serviceaccount",
        new ObjectReference("pods", "default", "", "", "v1", ""),
        200,
        "",
        "",
        null,
        Map.of(),
        RequestBody.NONE,
        "",
        "");
  }

  @Test
  void aServiceAccountConstraintOnAUserIsReadLikeAnUnknownMode() {
    Interpretation interpretation =
        EventInterpreter.interpret(
            serviceAccountConstraintOnAUser(Stage.RESPONSE_COMPLETE), SubjectRole.IMPERSONATOR);

    assertThat(interpretation.requirements())
        .extracting(r -> r.attributes().verb() + " " + r.attributes().resource())
        .containsExactly(
            "impersonate:serviceaccount users", "impersonate-on:serviceaccount:watch pods");
  }

  @Test
  void itNoLongerStopsARunWhenItsStageWaitedForTheEndOfTheInput() {
    // A ResponseStarted stage waits for its final stage, so it was interpreted after reading, where
    // the exception was an internal error (exit 4) instead of a skipped record.
    String line =
        "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"auditID\":\"1\","
            + "\"stage\":\"ResponseStarted\",\"requestURI\":\"/api/v1/namespaces/default/pods?watch=true\","
            + "\"verb\":\"watch\",\"user\":{\"username\":\"ci-bot\"},\"impersonatedUser\":{\"username\":\"bob\"},"
            + "\"authenticationMetadata\":{\"impersonationConstraint\":\"impersonate:serviceaccount\"},"
            + "\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"default\",\"apiVersion\":\"v1\"},"
            + "\"responseStatus\":{\"code\":200}}\n";

    Cli.Result result =
        Cli.runWithStdin(
            line.getBytes(StandardCharsets.UTF_8), "generate", "--user", "ci-bot", "-f", "-");

    assertThat(result.err()).doesNotContain("internal error");
    assertThat(result.exit()).isZero();
  }
}
