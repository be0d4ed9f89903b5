package dev.rbacsynth.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.read.EventDecoder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Items of a webhook's EventList, decoded from the tokens as the reader decodes a log's trees. */
class EventListBodyTest {
  static EventListBody.Batch read(List<String> items) throws Exception {
    return EventListBody.read(
        new ByteArrayInputStream(
            AuditServerTest.eventList("audit.k8s.io/v1", items).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void realEventsDecodeAsTheReaderDecodesTheirTrees() throws Exception {
    List<String> lines = UsageStoreTest.hkerma(2000);
    List<AuditEvent> events = read(lines).events();
    JsonMapper mapper = JsonMapper.builder().build();
    assertThat(events).hasSize(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      assertThat(events.get(i)).isEqualTo(EventDecoder.decode(mapper.readTree(lines.get(i))));
    }
  }

  @Test
  void itemsThatAreNotUsableEventsAreCountedAndTheRestStands() throws Exception {
    String good = UsageStoreTest.hkerma(1).get(0);
    EventListBody.Batch b =
        read(
            List.of(
                "42",
                "[\"an\",\"array\"]",
                "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"verb\":\"get\",\"stage\":\"x\"}",
                "{\"level\":\"Metadata\"}",
                // an Event whose verb is not a string: refused after its object was read
                "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"verb\":{\"a\":[1,2]},"
                    + "\"auditID\":\"x\"}",
                good,
                // no kind, but the shape of an Event (verb and stage)
                "{\"verb\":\"get\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api\"}"));
    assertThat(b.badItems()).isEqualTo(5);
    assertThat(b.events()).hasSize(2);
    assertThat(b.events().get(1).verb()).isEqualTo("get");
  }
}
