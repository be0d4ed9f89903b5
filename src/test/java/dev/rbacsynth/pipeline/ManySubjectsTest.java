package dev.rbacsynth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.HkermaAuditLog;
import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.kube.Subject;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 §4: reading for many subjects at once (diff --all-subjects) hands each event only to the
 * subjects it may concern, found by its usernames and groups, and parses every line instead of
 * searching for each name; what each subject gets must not change: the same usage as reading for
 * that subject alone, for users, service accounts, groups, requesters and impersonators.
 */
class ManySubjectsTest {

  private static UsageReader reader(String file) {
    return UsageReader.of(List.of(file)).stdin(new ByteArrayInputStream(new byte[0]));
  }

  private static String summary(ObservedUsage usage) {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    usage
        .requests()
        .forEach(
            (request, u) ->
                out.put(
                    request.toString(),
                    u.total().count()
                        + " "
                        + u.total().first()
                        + " "
                        + u.total().last()
                        + " "
                        + u.commonGroups()));
    return usage.matchedEvents() + " " + out;
  }

  @Test
  void eachSubjectGetsWhatReadingItAloneGives() {
    for (String log : List.of("testdata/demo.log", HkermaAuditLog.jsonl().toString())) {
      List<Subject> subjects = new ArrayList<>(reader(log).readAll().usages().keySet());
      subjects.add(new Subject.Group("system:authenticated"));
      subjects.add(new Subject.Group("system:masters"));
      subjects.add(new Subject.Group("system:serviceaccounts:kube-system"));
      subjects.add(new Subject.Group("no-such-group"));
      for (int i = 0; subjects.size() <= UsageReader.MAX_PREFILTER_NAMES; i++) {
        subjects.add(new Subject.ServiceAccount("nowhere", "sa-" + i));
      }
      UsageReader.Result together = reader(log).read(subjects);
      int seen = 0;
      // Each subject alone costs a read of the log: every one of the demo log's, a spread of the
      // real cluster log's (with the groups).
      int step = log.endsWith("demo.log") ? 1 : 20;
      for (int k = 0; k < subjects.size(); k++) {
        Subject s = subjects.get(k);
        if (!(s instanceof Subject.Group) && k % step != 0) {
          continue;
        }
        ObservedUsage alone = reader(log).read(s).usage(s);
        assertThat(summary(together.usage(s))).as("%s in %s", s, log).isEqualTo(summary(alone));
        seen += alone.matchedEvents() > 0 ? 1 : 0;
      }
      assertThat(seen).as("subjects with events in %s", log).isGreaterThan(3);
    }
  }
}
