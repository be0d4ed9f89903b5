package dev.rbacsynth.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.event.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: a small run's single source is read on the calling thread (no reader pool to start and
 * wait for), through the same task as in the pool: events, problems with their line numbers and the
 * input order are the same. Several sources still go to the pool. The input is the real demo log
 * with one broken line appended, as a truncated write leaves it.
 */
class ParallelReaderThreadTest {

  @TempDir Path tmp;

  private static final class Collecting implements RecordSink {
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    final List<Long> order = Collections.synchronizedList(new ArrayList<>());
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void event(AuditEvent event, SourceLocation location) {
      threads.add(Thread.currentThread());
      order.add(InputOrder.next());
    }

    @Override
    public void problem(ReadProblem problem) {
      problems.add(problem.location().source() + ":" + problem.location().line());
    }
  }

  private Path log(String name) throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("testdata/demo.log")));
    lines.add("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\"");
    return Files.write(tmp.resolve(name), lines);
  }

  private static AuditLogReader reader() {
    return new AuditLogReader(new RecordDispatcher(List.of()), LinePrefilter.ALL, new ReadStats());
  }

  @Test
  void oneSmallSourceIsReadOnTheCallingThread() throws Exception {
    Path log = log("audit.log");
    int lines = Files.readAllLines(log).size();
    Collecting sink = new Collecting();
    new ParallelReader(reader(), 2)
        .readAll(List.of(new InputSource.FileSource(log)), sink, n -> {});
    assertThat(sink.threads).containsExactly(Thread.currentThread());
    assertThat(sink.order).hasSize(lines - 1).isSorted().doesNotHaveDuplicates();
    assertThat(sink.order.get(0)).isPositive();
    assertThat(sink.problems).containsExactly(log + ":" + lines);
  }

  @Test
  void severalSourcesAreStillReadByThePool() throws Exception {
    Path a = log("a.log");
    Path b = log("b.log");
    int lines = Files.readAllLines(a).size();
    Collecting sink = new Collecting();
    new ParallelReader(reader(), 2)
        .readAll(
            List.of(new InputSource.FileSource(a), new InputSource.FileSource(b)), sink, n -> {});
    assertThat(sink.threads).doesNotContain(Thread.currentThread()).isNotEmpty();
    assertThat(sink.order).hasSize(2 * (lines - 1)).doesNotHaveDuplicates();
    assertThat(sink.problems).containsExactly(a + ":" + lines, b + ":" + lines);
  }
}
