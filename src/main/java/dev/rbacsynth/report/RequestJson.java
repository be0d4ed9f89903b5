package dev.rbacsynth.report;

import dev.rbacsynth.attributes.RequestAttributes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON shape of a request in every report: {@code verb, apiGroup, resource, subresource,
 * namespace, name, nonResourceURL}, every key always present ("" where it does not apply), the
 * fields of an authorization check as the apiserver's {@code ResourceAttributes} and {@code
 * NonResourceAttributes} name them.
 */
final class RequestJson {
  private RequestJson() {}

  static Map<String, Object> of(RequestAttributes r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verb", r.verb());
    m.put("apiGroup", r.apiGroup());
    m.put("resource", r.resource());
    m.put("subresource", r.subresource());
    m.put("namespace", r.namespace());
    m.put("name", r.name());
    m.put("nonResourceURL", r.resourceRequest() ? "" : r.path());
    return m;
  }
}
