package dev.rbacsynth.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SnakeYAML's warnings come through rbac-synth's stand-in for its logger
 * (org.yaml.snakeyaml.internal.Logger): one line on standard error, no java.util.logging record.
 */
class YamlWarningsTest {

  @Test
  void aDuplicateKeyIsOneWarningLineAndTheLastValueWins() {
    String manifest =
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: first
          name: second
        """;
    List<Object> documents = new ArrayList<>();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      YamlDocuments.forEach(
          new StringReader(manifest), (document, line) -> documents.add(document));
    } finally {
      System.setErr(saved);
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("warning: yaml: duplicate keys found : name" + System.lineSeparator());
    assertThat(documents).singleElement().isInstanceOf(Map.class);
    assertThat(((Map<?, ?>) documents.get(0)).get("metadata")).isEqualTo(Map.of("name", "second"));
  }

  @Test
  void withAHandlerEachDuplicateComesWithItsLineAndNothingReachesStandardError() {
    String manifest =
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: first
          name: second
        rules:
        - verbs: [list]
          resources: [pods]
          verbs: [watch]
          verbs: [get]
        """;
    List<Object> documents = new ArrayList<>();
    List<YamlDocuments.DuplicateKey> duplicates = new ArrayList<>();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    List<Integer> ruleLines = new ArrayList<>();
    try {
      YamlDocuments.forEachDocument(
          new StringReader(manifest),
          d -> {
            documents.add(d.value());
            ruleLines.add(d.position().get("rules").item(0).line());
          },
          duplicates::add);
    } finally {
      System.setErr(saved);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(duplicates)
        .containsExactly(
            new YamlDocuments.DuplicateKey(5, "name"),
            new YamlDocuments.DuplicateKey(9, "verbs"),
            new YamlDocuments.DuplicateKey(10, "verbs"));
    Map<?, ?> role = (Map<?, ?>) documents.get(0);
    assertThat(role.get("metadata")).isEqualTo(Map.of("name", "second"));
    assertThat(role.get("rules"))
        .isEqualTo(List.of(Map.of("resources", List.of("pods"), "verbs", List.of("get"))));
    assertThat(ruleLines).containsExactly(7);
  }
}
