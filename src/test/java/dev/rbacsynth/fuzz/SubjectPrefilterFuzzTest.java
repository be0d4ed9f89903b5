package dev.rbacsynth.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.read.LinePrefilter;
import dev.rbacsynth.select.SubjectPrefilter;
import dev.rbacsynth.select.SubjectSelector;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the exactness of the subject's byte pre-filter: reading a JSON-lines log with {@code
 * SubjectPrefilter.forName(name)} (lines without the name are not parsed) must select exactly the
 * events a full parse ({@code LinePrefilter.ALL}) selects, at the same lines. The non-fuzzed
 * counterpart is {@code FastPathEquivalenceTest}.
 *
 * <p>Input: the first line names the subject ({@code G:} and a group name, or a username, which is
 * a service account when it has that form); the rest is the log.
 *
 * <p>A plain {@code mvn test} replays the saved inputs under {@code
 * src/test/resources/dev/rbacsynth/fuzz/SubjectPrefilterFuzzTestInputs/<method>/} once. Fuzzing is
 * started by hand:
 *
 * <pre>
 * mvn -B -Pfuzz test -Dtest='SubjectPrefilterFuzzTest' -Dfuzz.duration=60s
 * </pre>
 *
 * The generated corpus goes to {@code .cifuzz-corpus/}; a crashing input is written to the inputs
 * directory above.
 */
@Timeout(30) // per input: JUnit applies it in regression mode, Jazzer passes it to libFuzzer
class SubjectPrefilterFuzzTest {

  @FuzzTest
  void prefilterSelectsWhatAFullParseSelects(byte @NotNull [] data) {
    int newline = 0;
    while (newline < data.length && data[newline] != '\n') {
      newline++;
    }
    if (newline == data.length) {
      return;
    }
    String spec = new String(data, 0, newline, UTF_8);
    Subject subject =
        spec.startsWith("G:") ? new Subject.Group(spec.substring(2)) : Subject.forUsername(spec);
    SubjectSelector selector = new SubjectSelector(subject);
    byte[] log = Arrays.copyOfRange(data, newline + 1, data.length);

    Reading.Result fast =
        Reading.read(log, SubjectPrefilter.forName(subject.auditName()), selector::mayConcern);
    Reading.Result full = Reading.read(log, LinePrefilter.ALL, selector::mayConcern);

    assertEquals(full.events(), fast.events(), () -> "pre-filter for " + subject.describe());
    assertEquals(full.stats().records.sum(), fast.stats().records.sum(), "records");
  }
}
