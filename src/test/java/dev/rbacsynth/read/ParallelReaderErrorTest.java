package dev.rbacsynth.read;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rbacsynth.event.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, section 4: running out of memory while reading in parallel segments is an internal
 * error (exit 4), not an input error (exit 2): the Error of a segment thread reaches the command as
 * itself, never wrapped in an {@link InputException}. The log is the real demo log repeated until
 * it spans several segments.
 */
class ParallelReaderErrorTest {

  @TempDir Path tmp;

  @Test
  void anErrorInASegmentThreadIsNotAnInputError() throws Exception {
    List<String> demo = Files.readAllLines(Path.of("testdata/demo.log"));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      lines.addAll(demo);
    }
    Path log = Files.write(tmp.resolve("audit.log"), lines);
    AuditLogReader reader =
        new AuditLogReader(new RecordDispatcher(List.of()), LinePrefilter.ALL, new ReadStats());
    RecordSink sink =
        new RecordSink() {
          @Override
          public void event(AuditEvent event, SourceLocation location) {
            throw new OutOfMemoryError("Java heap space (simulated)");
          }

          @Override
          public void problem(ReadProblem problem) {}
        };
    assertThatThrownBy(
            () ->
                new ParallelReader(reader, 2, 4096)
                    .readAll(List.of(new InputSource.FileSource(log)), sink, n -> {}))
        .isInstanceOf(OutOfMemoryError.class)
        .isNotInstanceOf(InputException.class);
  }
}
