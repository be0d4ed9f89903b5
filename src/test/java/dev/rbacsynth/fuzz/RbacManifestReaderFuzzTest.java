package dev.rbacsynth.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.rbacsynth.read.RbacManifestException;
import dev.rbacsynth.read.RbacManifestReader;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the RBAC manifest reader (multi-document YAML or JSON, {@code List} kinds, mixed kinds):
 * any bytes either yield RBAC objects or are refused with an {@code RbacManifestException} whose
 * message is one line. Nothing else may escape, and YAML alias bombs must be refused rather than
 * expanded (the heap of the fuzzing JVM is bounded, and the timeout below is Jazzer's per-input
 * timeout).
 *
 * <p>A plain {@code mvn test} replays the saved inputs under {@code
 * src/test/resources/dev/rbacsynth/fuzz/RbacManifestReaderFuzzTestInputs/<method>/} (real manifests
 * from {@code testdata/rbac/} and the reproducers of past findings) once. Fuzzing is started by
 * hand:
 *
 * <pre>
 * mvn -B -Pfuzz test -Dtest='RbacManifestReaderFuzzTest' -Dfuzz.duration=60s
 * </pre>
 *
 * The generated corpus goes to {@code .cifuzz-corpus/}; a crashing input is written to the inputs
 * directory above.
 */
@Timeout(30) // per input: JUnit applies it in regression mode, Jazzer passes it to libFuzzer
class RbacManifestReaderFuzzTest {

  @FuzzTest
  void anyManifestIsReadOrRefused(byte @NotNull [] data) {
    RbacManifestReader reader = new RbacManifestReader();
    try {
      reader.read("fuzz.yaml", new ByteArrayInputStream(data));
    } catch (RbacManifestException e) {
      AuditLogReaderFuzzTest.assertOneLine(String.valueOf(e.getMessage()));
      return;
    }
    reader.objects();
  }
}
