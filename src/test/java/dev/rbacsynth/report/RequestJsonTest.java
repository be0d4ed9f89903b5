package dev.rbacsynth.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Observed;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.RequestAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A request has one JSON shape in every report, every key present. */
class RequestJsonTest {
  private static final List<String> SHAPE =
      List.of("verb", "apiGroup", "resource", "subresource", "namespace", "name", "nonResourceURL");

  @Test
  void resourceAndNonResourceRequestsHaveTheSameKeys() {
    assertThat(
            RequestJson.of(
                RequestAttributes.resource("get", "apps", "deployments", "scale", "shop", "web")))
        .containsExactly(
            Map.entry("verb", "get"),
            Map.entry("apiGroup", "apps"),
            Map.entry("resource", "deployments"),
            Map.entry("subresource", "scale"),
            Map.entry("namespace", "shop"),
            Map.entry("name", "web"),
            Map.entry("nonResourceURL", ""));
    assertThat(RequestJson.of(RequestAttributes.nonResource("get", "/metrics")))
        .containsKeys(SHAPE.toArray(String[]::new))
        .containsEntry("nonResourceURL", "/metrics")
        .containsEntry("resource", "");
  }

  @Test
  void theDeniedReportUsesIt() {
    String json =
        DeniedReport.of(
                "user alice",
                Observed.usage(
                    Outcome.RBAC_DENIED,
                    List.of("system:authenticated"),
                    RequestAttributes.nonResource("get", "/metrics"),
                    RequestAttributes.resource("list", "", "secrets", "", "shop", "")))
            .render("denied.json");
    JsonNode denied = JsonMapper.builder().build().readTree(json).get("denied");
    assertThat(denied).hasSize(2);
    for (JsonNode item : denied) {
      List<String> keys = new ArrayList<>(item.propertyNames());
      assertThat(keys.subList(0, SHAPE.size())).isEqualTo(SHAPE);
    }
  }
}
