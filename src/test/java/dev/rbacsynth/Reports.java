package dev.rbacsynth;

import java.util.List;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reading diff's JSON reports in tests. */
public final class Reports {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Reports() {}

  public static JsonNode json(String text) {
    return MAPPER.readTree(text);
  }

  public static List<JsonNode> list(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).toList();
  }

  /** One string field of every element of an array. */
  public static List<String> field(JsonNode array, String name) {
    return list(array).stream().map(n -> n.get(name).asString()).toList();
  }

  /** The unused entry of a binding's rule, failing when there is none. */
  public static JsonNode unused(JsonNode report, String binding, int rule) {
    return list(report.get("unused")).stream()
        .filter(
            u ->
                u.get("binding").get("name").asString().equals(binding)
                    && u.get("ruleIndex").asInt() == rule)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no unused entry for " + binding + " rule " + rule));
  }

  /** {@code binding/rule risk} for every risky entry, in report order. */
  public static List<String> risks(JsonNode report) {
    return list(report.get("risky")).stream()
        .map(
            k ->
                k.get("binding").get("name").asString()
                    + "/"
                    + k.get("ruleIndex").asInt()
                    + " "
                    + k.get("risk").asString())
        .toList();
  }
}
