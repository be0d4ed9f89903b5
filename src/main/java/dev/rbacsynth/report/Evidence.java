package dev.rbacsynth.report;

import dev.rbacsynth.aggregate.Usage;
import dev.rbacsynth.attributes.RequestAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The observed requests behind a rule, in one shape for {@code generate --explain} and the USED
 * section of {@code diff}: verb, resource, namespace, name, count, first and last seen, a sample
 * audit ID (and, for generated rules, the expansions that widened the request).
 */
final class Evidence {
  private Evidence() {}

  static final String[] HEADER = {
    "VERB", "RESOURCE", "NAMESPACE", "NAME", "COUNT", "FIRST SEEN", "LAST SEEN", "SAMPLE AUDIT ID"
  };

  /** {@code pods}, {@code deployments.apps/scale}, or the non-resource URL. */
  static String resource(RequestAttributes r) {
    if (!r.resourceRequest()) {
      return r.path();
    }
    return r.resource()
        + (r.apiGroup().isEmpty() ? "" : "." + r.apiGroup())
        + (r.subresource().isEmpty() ? "" : "/" + r.subresource());
  }

  /** One table row; cells are plain text. */
  static String[] row(RequestAttributes r, Usage u) {
    return new String[] {
      r.verb(),
      resource(r),
      r.resourceRequest() ? (r.namespace().isEmpty() ? "(cluster)" : r.namespace()) : "",
      r.name(),
      Long.toString(u.total().count()),
      ReviewText.time(u.total().first()),
      ReviewText.time(u.total().last()),
      u.sampleAuditId().isEmpty() ? "-" : u.sampleAuditId()
    };
  }

  static List<String[]> rows(
      List<RequestAttributes> requests, Map<RequestAttributes, Usage> usage) {
    List<String[]> rows = new ArrayList<>();
    for (RequestAttributes r : requests) {
      rows.add(row(r, usage.get(r)));
    }
    return rows;
  }

  /** The JSON of one request with its evidence: the request's fields, then the usage. */
  static Map<String, Object> json(RequestAttributes r, Usage u) {
    Map<String, Object> m = RequestJson.of(r);
    m.put("count", u.total().count());
    m.put("firstSeen", u.total().first() == null ? null : u.total().first().toString());
    m.put("lastSeen", u.total().last() == null ? null : u.total().last().toString());
    m.put("sampleAuditID", u.sampleAuditId());
    return m;
  }
}
