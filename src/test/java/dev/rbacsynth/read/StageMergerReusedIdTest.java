package dev.rbacsynth.read;

import static dev.rbacsynth.SemanticsEvents.set;
import static dev.rbacsynth.SemanticsEvents.variant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.SemanticsEvents;
import dev.rbacsynth.event.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, section 2: clients can set the {@code Audit-ID} header, so one auditID can name
 * different requests. Stages of one request are merged; different requests are each kept, with one
 * warning per auditID. The events are case 24 of testdata/semantics (RequestReceived, then
 * ResponseComplete of one list) and variants of it under the same auditID.
 */
class StageMergerReusedIdTest {

  private final List<AuditEvent> out = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final StageMerger merger =
      new StageMerger(1000, (e, l) -> out.add(e), (l, message) -> warnings.add(l + ": " + message));

  private void accept(AuditEvent... events) {
    long line = 1;
    for (AuditEvent e : events) {
      merger.accept(e, new SourceLocation("audit.log", line++));
    }
    merger.flush();
  }

  private static List<String> requests(List<AuditEvent> events) {
    return events.stream().map(e -> e.verb() + " " + e.requestURI()).toList();
  }

  @Test
  void theStagesOfOneRequestAreStillMergedWithoutAWarning() {
    List<AuditEvent> stages = SemanticsEvents.all(24);
    accept(stages.toArray(AuditEvent[]::new));
    assertThat(out).hasSize(1);
    assertThat(out.get(0).stage().isFinal()).isTrue();
    assertThat(warnings).isEmpty();
  }

  @Test
  void aDifferentRequestUnderTheSameAuditIdIsKeptAndReported() {
    List<AuditEvent> stages = SemanticsEvents.all(24);
    AuditEvent secrets =
        variant(24, set("requestURI", "/api/v1/namespaces/shop/secrets?limit=500"));
    AuditEvent deletePods =
        variant(24, set("verb", "delete"), set("requestURI", "/api/v1/namespaces/shop/pods/web-0"));
    AuditEvent otherUser =
        variant(24, SemanticsEvents.set("/user", "username", "system:serviceaccount:shop:other"));
    accept(stages.get(0), secrets, stages.get(1), deletePods, otherUser, secrets);

    assertThat(requests(out))
        .containsExactlyInAnyOrder(
            "list /api/v1/namespaces/shop/pods?limit=500",
            "list /api/v1/namespaces/shop/secrets?limit=500",
            "delete /api/v1/namespaces/shop/pods/web-0",
            "list /api/v1/namespaces/shop/pods?limit=500");
    assertThat(out.get(0).stage().isFinal()).isTrue();
    assertThat(warnings)
        .containsExactly(
            "audit.log:2: auditID "
                + stages.get(0).auditID()
                + " names more than one request (clients can set the Audit-ID header): each"
                + " request is counted");
  }

  @Test
  void aReusedIdWhoseFirstRequestCompletesLaterIsCountedOnce() {
    List<AuditEvent> stages = SemanticsEvents.all(24);
    AuditEvent other = variant(24, set("requestURI", "/api/v1/namespaces/shop/configmaps"));
    // first request received, another request completes under its id, then the first completes
    accept(stages.get(0), other, stages.get(1), stages.get(1));
    assertThat(requests(out))
        .containsExactly(
            "list /api/v1/namespaces/shop/configmaps",
            "list /api/v1/namespaces/shop/pods?limit=500");
  }
}
