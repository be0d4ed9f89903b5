package dev.rbacsynth.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.rbacsynth.attributes.EventInterpreter;
import dev.rbacsynth.attributes.Interpretation;
import dev.rbacsynth.attributes.RequestInfo;
import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.ObjectReference;
import dev.rbacsynth.event.RequestBody;
import dev.rbacsynth.event.Stage;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.select.SubjectRole;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the interpretation of one event: {@code RequestInfo.parse} on any {@code requestURI}, and
 * {@code EventInterpreter} on any combination of verb, stage, response, users, impersonation
 * constraint, objectRef and request body. Neither may throw, and the path segments RequestInfo
 * returns never contain a slash.
 *
 * <p>Input: UTF-8 text, one field per line: requestURI, verb, stage, response code, response
 * message, username, impersonated username (empty: not impersonated), impersonation constraint,
 * objectRef as {@code resource/namespace/name/apiGroup/apiVersion/subresource} (empty: none),
 * decision annotation, roleRef kind, roleRef name, signer name, groups (comma-separated), uid.
 * Missing lines are empty.
 *
 * <p>A plain {@code mvn test} replays the saved inputs under {@code
 * src/test/resources/dev/rbacsynth/fuzz/RequestInterpretationFuzzTestInputs/<method>/} (fields of
 * real events from {@code testdata/} and the reproducers of past findings) once. Fuzzing is started
 * by hand:
 *
 * <pre>
 * mvn -B -Pfuzz test -Dtest='RequestInterpretationFuzzTest' -Dfuzz.duration=60s
 * </pre>
 *
 * The generated corpus goes to {@code .cifuzz-corpus/}; a crashing input is written to the inputs
 * directory above.
 */
@Timeout(30) // per input: JUnit applies it in regression mode, Jazzer passes it to libFuzzer
class RequestInterpretationFuzzTest {

  @FuzzTest
  void anyEventIsInterpreted(byte @NotNull [] data) {
    String[] fields = Arrays.copyOf(new String(data, UTF_8).split("\n", 16), 16);
    for (int i = 0; i < fields.length; i++) {
      fields[i] = fields[i] == null ? "" : fields[i];
    }
    String uri = fields[0];

    RequestInfo info = RequestInfo.parse(uri);
    if (info.resourceRequest()) {
      for (String segment :
          List.of(info.apiGroup(), info.namespace(), info.resource(), info.name())) {
        assertFalse(segment.contains("/"), () -> "slash in a segment of " + info);
      }
    }
    String selected = info.fieldSelectorName();
    assertTrue(selected.isEmpty() || !selected.contains("/"), selected);
    info.dryRun();

    List<String> groups = fields[13].isEmpty() ? List.of() : List.of(fields[13].split(",", -1));
    UserInfo user = new UserInfo(fields[5], fields[14], groups, Map.of("scopes", List.of("x")));
    UserInfo impersonated =
        fields[6].isEmpty() ? null : new UserInfo(fields[6], fields[14], groups, Map.of());
    String[] ref = fields[8].split("/", -1);
    ObjectReference objectRef =
        fields[8].isEmpty()
            ? null
            : new ObjectReference(
                part(ref, 0), part(ref, 1), part(ref, 2), part(ref, 3), part(ref, 4), part(ref, 5));
    int code;
    try {
      code = Integer.parseInt(fields[3].trim());
    } catch (NumberFormatException e) {
      code = 0;
    }
    AuditEvent event =
        new AuditEvent(
            "fuzz",
            Stage.parse(fields[2]),
            uri,
            fields[1],
            user,
            impersonated,
            fields[7],
            objectRef,
            code,
            "",
            fields[4],
            null,
            fields[9].isEmpty() ? Map.of() : Map.of(AuditEvent.DECISION, fields[9]),
            new RequestBody(fields[10], fields[11], fields[12]),
            "",
            "");

    assertNotNull(EventInterpreter.attributesOf(event));
    for (SubjectRole role : SubjectRole.values()) {
      if (role == SubjectRole.IMPERSONATOR && impersonated == null) {
        continue; // SubjectSelector only gives this role to an impersonating user
      }
      Interpretation interpretation = EventInterpreter.interpret(event, role);
      assertNotNull(interpretation.requirements());
    }
  }

  private static String part(String[] parts, int i) {
    return i < parts.length ? parts[i] : "";
  }
}
