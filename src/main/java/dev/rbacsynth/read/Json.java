package dev.rbacsynth.read;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Lenient accessors for JSON trees: a missing, null or non-string field reads as "". */
public final class Json {
  private Json() {}

  public static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || value.isNull()) {
      return "";
    }
    if (value.isString()) {
      return value.stringValue();
    }
    if (value.isNumber() || value.isBoolean()) {
      return value.asString();
    }
    return "";
  }

  public static List<String> strings(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || !value.isArray()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(value.size());
    for (JsonNode item : value) {
      if (item.isString()) {
        out.add(item.stringValue());
      }
    }
    return out;
  }

  public static Map<String, String> stringMap(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || !value.isObject()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : value.properties()) {
      if (e.getValue().isString()) {
        out.put(e.getKey(), e.getValue().stringValue());
      }
    }
    return out;
  }

  public static Map<String, List<String>> stringListMap(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || !value.isObject()) {
      return Map.of();
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : value.properties()) {
      out.put(e.getKey(), strings(value, e.getKey()));
    }
    return out;
  }
}
