package dev.rbacsynth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.aggregate.Usage;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.read.StrictModeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one reading entry point: one subject, several, or every subject of a real log. */
class UsageReaderTest {
  private static final String DEMO = "testdata/demo.log";

  private static UsageReader reader(String file) {
    return UsageReader.of(List.of(file)).stdin(new ByteArrayInputStream(new byte[0]));
  }

  /** Each distinct request with its counts, times and groups, comparable across reads. */
  private static Map<String, String> summary(ObservedUsage usage) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<?, Usage> e : usage.requests().entrySet()) {
      Usage u = e.getValue();
      out.put(
          e.getKey().toString(),
          u.total().count()
              + " "
              + u.total().first()
              + " "
              + u.total().last()
              + " "
              + u.commonGroups());
    }
    return out;
  }

  @Test
  void everySubjectInOnePassIsWhatReadingEachOfThemGives() {
    String log = HkermaAuditLog.jsonl().toString();
    UsageReader.Result all = reader(log).readAll();
    assertThat(all.usages()).hasSizeGreaterThan(20);
    assertThat(all.usages().keySet())
        .contains(
            new Subject.User("kubernetes-admin"),
            new Subject.ServiceAccount("kube-flannel", "flannel"));
    List<Subject> subjects = new ArrayList<>(all.usages().keySet());
    UsageReader.Result each = reader(log).read(subjects);
    for (Subject s : subjects) {
      assertThat(summary(all.usage(s))).as(s.describe()).isEqualTo(summary(each.usage(s)));
      assertThat(all.usage(s).matchedEvents()).isEqualTo(each.usage(s).matchedEvents());
    }
    assertThat(all.stats().records.sum()).isEqualTo(each.stats().records.sum());
  }

  @Test
  void anImpersonatorIsASubjectOfItsOwn() {
    UsageReader.Result all = reader(DEMO).readAll();
    Subject admin = new Subject.User("system:admin");
    assertThat(all.usages().keySet())
        .as("sorted by kind, then name")
        .containsExactly(
            new Subject.ServiceAccount("ns1", "sa1"),
            new Subject.User("alice"),
            new Subject.User("bob"),
            admin);
    assertThat(summary(all.usage(admin))).isEqualTo(summary(reader(DEMO).read(admin).usage(admin)));
    assertThat(all.usage(admin).requests().keySet())
        .allSatisfy(r -> assertThat(r.verb()).isEqualTo("impersonate"));
  }

  @Test
  void oneSubjectInANamespace() {
    Subject bob = new Subject.User("bob");
    ObservedUsage usage = reader(DEMO).namespace("ns1").read(bob).usage(bob);
    assertThat(usage.requests().keySet())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.namespace()).isEqualTo("ns1"));
    assertThat(usage.distinctRequests())
        .isLessThan(reader(DEMO).read(bob).usage(bob).distinctRequests());
  }

  @Test
  void unusableRecordsAreReportedOnceOrStopAStrictRead(@TempDir Path dir) throws IOException {
    Path log = dir.resolve("audit.log");
    List<String> lines = new ArrayList<>(Files.readAllLines(Path.of(DEMO)));
    lines.add(3, "{\"kind\":\"Event\",\"user\":{\"username\":\"bob\"");
    Files.write(log, lines, StandardCharsets.UTF_8);
    Subject bob = new Subject.User("bob");
    Subject alice = new Subject.User("alice");
    StringWriter err = new StringWriter();
    UsageReader.Result r =
        reader(log.toString()).messages(new PrintWriter(err, true)).read(List.of(bob, alice));
    assertThat(r.problems()).isEqualTo(1);
    assertThat(err.toString().lines()).hasSize(1).first().asString().contains("audit.log:4");
    assertThatThrownBy(() -> reader(log.toString()).strict(true).read(bob))
        .isInstanceOf(StrictModeException.class);
  }
}
