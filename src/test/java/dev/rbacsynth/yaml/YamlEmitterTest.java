package dev.rbacsynth.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

class YamlEmitterTest {

  /**
   * The shortcut for plain scalars that start with a letter (a word list instead of SnakeYAML's
   * resolver, which compiles a dozen patterns) says what the resolver says: every word of the list
   * and its neighbours, every letter, random strings over the characters that matter.
   */
  @Test
  void letterScalarsResolveAsSnakeYamlDoes() {
    Resolver resolver = new Resolver();
    List<String> samples = new ArrayList<>(YamlEmitter.YAML_1_1_WORDS);
    for (String word : YamlEmitter.YAML_1_1_WORDS) {
      samples.addAll(List.of(word + "s", word + " ", word.substring(1), word.toUpperCase() + "x"));
      samples.add(word.substring(0, 1).toLowerCase() + word.substring(1).toUpperCase());
    }
    for (char c = 0; c < 0x250; c++) {
      samples.add(String.valueOf(c));
      samples.add(c + "ull");
      samples.add(c + "rue");
    }
    Random random = new Random(16);
    String alphabet = "yYnNtTfFoOeEsSrRuUaAlL~.0123456789-+:_ éÉñxXbBZiIT\tS";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int n = 1 + random.nextInt(6); n > 0; n--) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      samples.add(b.toString());
    }
    samples.addAll(
        List.of(
            "",
            "get",
            "nodes",
            "namespace",
            "on-call",
            "Role",
            "ñu",
            "null",
            "0.1.0-SNAPSHOT",
            "1.2.3",
            "2024-01-01T10:00:00",
            "2024-01-01 10:00:00 Z",
            "1e400",
            "0xFF",
            "0b101",
            ".inf",
            "-.Inf",
            ".NaN",
            "+1",
            "1:20",
            "1_000",
            "0o17",
            "-",
            "."));
    for (String sample : samples) {
      assertThat(YamlEmitter.readsAsNonStringInYaml11(sample))
          .as("'%s'", sample)
          .isEqualTo(!Tag.STR.equals(resolver.resolve(NodeId.scalar, sample, true)));
    }
  }

  // ------------------------------------------------------------------ whole documents

  @Test
  void clusterRoleLayout() {
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("name", "pod-reader");
    metadata.put("namespace", null);
    metadata.put("labels", Map.of());
    metadata.put("annotations", Map.of("rbac-synth.dev/generated", "true"));
    Map<String, Object> podRule = new HashMap<>();
    podRule.put("verbs", List.of("get", "list", "watch"));
    podRule.put("resources", List.of("pods", "pods/log"));
    podRule.put("resourceNames", List.of());
    podRule.put("apiGroups", List.of(""));
    Map<String, Object> urlRule = new HashMap<>();
    urlRule.put("verbs", List.of("get"));
    urlRule.put("nonResourceURLs", List.of("/healthz*", "/version"));
    urlRule.put("apiGroups", null);
    Map<String, Object> role = new HashMap<>();
    role.put("rules", List.of(podRule, urlRule));
    role.put("metadata", metadata);
    role.put("kind", "ClusterRole");
    role.put("apiVersion", "rbac.authorization.k8s.io/v1");

    assertThat(YamlEmitter.emit(role))
        .isEqualTo(
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              annotations:
                rbac-synth.dev/generated: "true"
              name: pod-reader
            rules:
            - apiGroups:
              - ""
              resources:
              - pods
              - pods/log
              verbs:
              - get
              - list
              - watch
            - nonResourceURLs:
              - /healthz*
              - /version
              verbs:
              - get
            """);
  }

  @Test
  void roleBindingLayout() {
    Map<String, Object> metadata = new TreeMap<>(Comparator.reverseOrder());
    metadata.put("name", "read-pods");
    metadata.put("namespace", "default");
    metadata.put("creationTimestamp", null);
    metadata.put("labels", new HashMap<>(Map.of("empty", Map.of())));
    Map<String, Object> roleRef = new TreeMap<>(Comparator.reverseOrder());
    roleRef.putAll(
        Map.of("kind", "Role", "name", "pod-reader", "apiGroup", "rbac.authorization.k8s.io"));
    Map<String, Object> binding = new TreeMap<>(Comparator.reverseOrder());
    binding.put(
        "subjects",
        List.of(
            Map.of("kind", "ServiceAccount", "name", "builder", "namespace", "ci"),
            Map.of(
                "kind",
                "User",
                "name",
                "system:serviceaccount:ns:sa",
                "apiGroup",
                "rbac.authorization.k8s.io"),
            Map.of(
                "kind",
                "Group",
                "name",
                "system:authenticated",
                "apiGroup",
                "rbac.authorization.k8s.io")));
    binding.put("roleRef", roleRef);
    binding.put("metadata", metadata);
    binding.put("kind", "RoleBinding");
    binding.put("apiVersion", "rbac.authorization.k8s.io/v1");

    assertThat(YamlEmitter.emit(binding))
        .isEqualTo(
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: read-pods
              namespace: default
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: Role
              name: pod-reader
            subjects:
            - kind: ServiceAccount
              name: builder
              namespace: ci
            - apiGroup: rbac.authorization.k8s.io
              kind: User
              name: system:serviceaccount:ns:sa
            - apiGroup: rbac.authorization.k8s.io
              kind: Group
              name: system:authenticated
            """);
  }

  @Test
  void nestedSequencesAndScalarTypes() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("matrix", List.of(List.of("a", "b"), List.of(1, 2L), List.of(), Map.of()));
    tree.put(
        "flags",
        Map.of("enabled", true, "disabled", false, "replicas", 3, "big", 1L << 40, "neg", -7));
    tree.put("items", Arrays.asList(null, "x", Map.of("k", List.of("v"))));

    assertThat(YamlEmitter.emit(tree))
        .isEqualTo(
            """
            flags:
              big: 1099511627776
              disabled: false
              enabled: true
              neg: -7
              replicas: 3
            items:
            - x
            - k:
              - v
            matrix:
            - - a
              - b
            - - 1
              - 2
            """);
  }

  @Test
  void emptyOrNullRootIsStillWritten() {
    assertThat(YamlEmitter.emit(Map.of())).isEqualTo("{}\n");
    assertThat(YamlEmitter.emit(Map.of("a", Map.of("b", List.of())))).isEqualTo("{}\n");
    assertThat(YamlEmitter.emit(List.of())).isEqualTo("[]\n");
    assertThat(YamlEmitter.emit(null)).isEqualTo("null\n");
    assertThat(YamlEmitter.emit("plain")).isEqualTo("plain\n");
    assertThat(YamlEmitter.emit(List.of("a", "b"))).isEqualTo("- a\n- b\n");
  }

  @Test
  void rejectsUnsupportedValues() {
    assertThatThrownBy(() -> YamlEmitter.emit(Map.of("x", 1.5)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> YamlEmitter.emit(Map.of(1, "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ------------------------------------------------------------------ key order

  @Test
  void keysFollowYamlV2Order() {
    List<String> keys =
        List.of("b", "B", "a10", "a9", "_x", "10", "2", "1", "a", "ab", "A1b", "A01b", "é", "z");
    Map<String, Object> tree = new HashMap<>();
    keys.forEach(k -> tree.put(k, "v"));

    List<String> written =
        YamlEmitter.emit(tree).lines().map(l -> l.substring(0, l.indexOf(':'))).toList();

    assertThat(written)
        .containsExactly(
            "_x", "\"1\"", "\"2\"", "\"10\"", "A1b", "A01b", "B", "a", "a9", "a10", "ab", "b", "z",
            "é");
  }

  @Test
  void kubernetesKeysAreAlphabetical() {
    assertThat(sorted("subjects", "rules", "roleRef", "metadata", "kind", "apiVersion"))
        .containsExactly("apiVersion", "kind", "metadata", "roleRef", "rules", "subjects");
    assertThat(sorted("verbs", "resources", "resourceNames", "nonResourceURLs", "apiGroups"))
        .containsExactly("apiGroups", "nonResourceURLs", "resourceNames", "resources", "verbs");
    assertThat(sorted("namespace", "name", "labels", "annotations"))
        .containsExactly("annotations", "labels", "name", "namespace");
  }

  private static List<String> sorted(String... keys) {
    List<String> list = new ArrayList<>(List.of(keys));
    list.sort(YamlKeyOrder.INSTANCE);
    return list;
  }

  // ------------------------------------------------------------------ scalar styles

  static Stream<Arguments> scalarStyles() {
    return Stream.of(
        // double-quoted: yaml.v2's resolver would not read them back as strings
        Arguments.of("", "\"\""),
        Arguments.of("y", "\"y\""),
        Arguments.of("Y", "\"Y\""),
        Arguments.of("yes", "\"yes\""),
        Arguments.of("Yes", "\"Yes\""),
        Arguments.of("YES", "\"YES\""),
        Arguments.of("n", "\"n\""),
        Arguments.of("N", "\"N\""),
        Arguments.of("no", "\"no\""),
        Arguments.of("No", "\"No\""),
        Arguments.of("NO", "\"NO\""),
        Arguments.of("true", "\"true\""),
        Arguments.of("True", "\"True\""),
        Arguments.of("TRUE", "\"TRUE\""),
        Arguments.of("false", "\"false\""),
        Arguments.of("False", "\"False\""),
        Arguments.of("FALSE", "\"FALSE\""),
        Arguments.of("on", "\"on\""),
        Arguments.of("On", "\"On\""),
        Arguments.of("ON", "\"ON\""),
        Arguments.of("off", "\"off\""),
        Arguments.of("Off", "\"Off\""),
        Arguments.of("OFF", "\"OFF\""),
        Arguments.of("~", "\"~\""),
        Arguments.of("null", "\"null\""),
        Arguments.of("Null", "\"Null\""),
        Arguments.of("NULL", "\"NULL\""),
        Arguments.of(".inf", "\".inf\""),
        Arguments.of(".Inf", "\".Inf\""),
        Arguments.of(".INF", "\".INF\""),
        Arguments.of("+.inf", "\"+.inf\""),
        Arguments.of("-.inf", "\"-.inf\""),
        Arguments.of("-.INF", "\"-.INF\""),
        Arguments.of(".nan", "\".nan\""),
        Arguments.of(".NaN", "\".NaN\""),
        Arguments.of(".NAN", "\".NAN\""),
        Arguments.of("123", "\"123\""),
        Arguments.of("007", "\"007\""),
        Arguments.of("0x1F", "\"0x1F\""),
        Arguments.of("0o17", "\"0o17\""),
        Arguments.of("0b101", "\"0b101\""),
        Arguments.of("1_000", "\"1_000\""),
        Arguments.of("+1", "\"+1\""),
        Arguments.of("-5", "\"-5\""),
        Arguments.of("0", "\"0\""),
        Arguments.of("08", "\"08\""), // not octal, but a float
        Arguments.of("18446744073709551615", "\"18446744073709551615\""), // ParseUint
        Arguments.of(
            "0b-1", "\"0b-1\""), // yaml.v2 retries the digits after 0b with a sign-aware ParseInt
        Arguments.of("1.5", "\"1.5\""),
        Arguments.of(".5", "\".5\""),
        Arguments.of("3.", "\"3.\""),
        Arguments.of("1e3", "\"1e3\""),
        Arguments.of("-1.5E-3", "\"-1.5E-3\""),
        Arguments.of(".5_0", "\".5_0\""),
        Arguments.of("2024-01-01", "\"2024-01-01\""),
        Arguments.of("2024-1-2", "\"2024-1-2\""),
        Arguments.of("2024-01-01T10:00:00Z", "\"2024-01-01T10:00:00Z\""),
        Arguments.of("2024-1-2t3:4:5.123+02:00", "\"2024-1-2t3:4:5.123+02:00\""),
        Arguments.of("2024-01-01 10:00:00", "\"2024-01-01 10:00:00\""),
        Arguments.of("2024-01-01  10:00:00,5", "\"2024-01-01  10:00:00,5\""),
        Arguments.of("12:30", "\"12:30\""),
        Arguments.of("-1:30:00.5", "\"-1:30:00.5\""),
        Arguments.of("0:30", "\"0:30\""),
        // double-quoted with escapes: characters yaml.v2 does not consider printable
        Arguments.of("x\ty", "\"x\\ty\""),
        Arguments.of("\u0001", "\"\\x01\""),
        Arguments.of("\u0000", "\"\\0\""),
        Arguments.of("a\rb", "\"a\\rb\""),
        Arguments.of("\u001b[0m", "\"\\e[0m\""),
        Arguments.of("\u007f", "\"\\x7F\""),
        Arguments.of("a\u0085b", "\"a\\Nb\""),
        Arguments.of("\u0090", "\"\\x90\""),
        Arguments.of("\ufeffbom", "\"\\uFEFFbom\""),
        Arguments.of("\uffff", "\"\\uFFFF\""),
        Arguments.of("smile \ud83d\ude00", "\"smile \\U0001F600\""),
        Arguments.of("tab\t\"q\" \\", "\"tab\\t\\\"q\\\" \\\\\""),
        Arguments.of("a \nb", "\"a \\nb\""),
        Arguments.of("a\nb ", "\"a\\nb \""),
        Arguments.of("a\tb\nc", "\"a\\tb\\nc\""),
        Arguments.of("lone \ud800", "lone \ufffd"),
        // single-quoted: plain is not allowed by libyaml's analysis
        Arguments.of("!x", "'!x'"),
        Arguments.of("#x", "'#x'"),
        Arguments.of("*", "'*'"),
        Arguments.of("@x", "'@x'"),
        Arguments.of("[x", "'[x'"),
        Arguments.of("]x", "']x'"),
        Arguments.of("{x", "'{x'"),
        Arguments.of("}x", "'}x'"),
        Arguments.of("|x", "'|x'"),
        Arguments.of(">x", "'>x'"),
        Arguments.of(",x", "',x'"),
        Arguments.of("&x", "'&x'"),
        Arguments.of("%x", "'%x'"),
        Arguments.of("`x", "'`x'"),
        Arguments.of("? x", "'? x'"),
        Arguments.of("- x", "'- x'"),
        Arguments.of(": x", "': x'"),
        Arguments.of("-", "'-'"),
        Arguments.of("?", "'?'"),
        Arguments.of(":", "':'"),
        Arguments.of("x ", "'x '"),
        Arguments.of(" x", "' x'"),
        Arguments.of("x:", "'x:'"),
        Arguments.of("foo: bar", "'foo: bar'"),
        Arguments.of("x #y", "'x #y'"),
        Arguments.of("'q'", "'''q'''"),
        Arguments.of("\"dq\"", "'\"dq\"'"),
        Arguments.of("---", "'---'"),
        Arguments.of("...x", "'...x'"),
        Arguments.of("a\u2028b", "'a\u2028  b'"),
        // plain
        Arguments.of("-x", "-x"),
        Arguments.of("?x", "?x"),
        Arguments.of(":foo", ":foo"),
        Arguments.of("x:y", "x:y"),
        Arguments.of("x#y", "x#y"),
        Arguments.of("a b", "a b"),
        Arguments.of("=", "="),
        Arguments.of("0x", "0x"),
        Arguments.of("1e", "1e"),
        Arguments.of("+", "+"),
        Arguments.of(".", "."),
        Arguments.of("--x", "--x"),
        Arguments.of("a,b", "a,b"),
        Arguments.of("x[0]", "x[0]"),
        Arguments.of("a{b}c", "a{b}c"),
        Arguments.of("a]", "a]"),
        Arguments.of("a!b&c*d", "a!b&c*d"),
        Arguments.of("50%", "50%"),
        Arguments.of("system:serviceaccount:ns:sa", "system:serviceaccount:ns:sa"),
        Arguments.of("rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1"),
        Arguments.of("/healthz*", "/healthz*"),
        Arguments.of("ünï", "ünï"),
        Arguments.of("日本語", "日本語"),
        Arguments.of("nbsp\u00a0x", "nbsp\u00a0x"),
        Arguments.of("1.2.3", "1.2.3"),
        Arguments.of("v1", "v1"),
        Arguments.of("2024-01-01x", "2024-01-01x"),
        Arguments.of("0xFFFFFFFFFFFFFFFFG", "0xFFFFFFFFFFFFFFFFG"),
        Arguments.of("yess", "yess"),
        Arguments.of("nulls", "nulls"),
        Arguments.of("a  b", "a  b"),
        // not yaml.v2: plain there, but SnakeYAML (YAML 1.1) resolves them to
        // merge/timestamp/float/int, so we quote
        Arguments.of("<<", "\"<<\""),
        Arguments.of("2024-01-01T10:00:00", "\"2024-01-01T10:00:00\""),
        Arguments.of("2024-02-30", "\"2024-02-30\""),
        Arguments.of("2001-12-14 21:59:43.10 -5", "\"2001-12-14 21:59:43.10 -5\""),
        Arguments.of("1e400", "\"1e400\""),
        Arguments.of("0xFFFFFFFFFFFFFFFFFF", "\"0xFFFFFFFFFFFFFFFFFF\""));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("scalarStyles")
  void scalarStyle(String input, String expected) {
    assertThat(YamlEmitter.emit(Map.of("k", input))).isEqualTo("k: " + expected + "\n");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("scalarStyles")
  void keysUseTheSameStyles(String input, String expected) {
    assumeTrue(
        input.codePoints().noneMatch(ScalarAnalysis::isBreak),
        "multi-line keys are explicit, tested below");
    assertThat(YamlEmitter.emit(Map.of(input, "v"))).isEqualTo(expected + ": v\n");
  }

  @Test
  void multiLineStringsAreLiteralBlocks() {
    assertThat(YamlEmitter.emit(Map.of("k", "a\nb"))).isEqualTo("k: |-\n  a\n  b\n");
    assertThat(YamlEmitter.emit(Map.of("k", "a\nb\n"))).isEqualTo("k: |\n  a\n  b\n");
    assertThat(YamlEmitter.emit(Map.of("k", "a\n\n"))).isEqualTo("k: |+\n  a\n\n");
    assertThat(YamlEmitter.emit(Map.of("k", "\n"))).isEqualTo("k: |2+\n\n");
    assertThat(YamlEmitter.emit(Map.of("k", " a\nb"))).isEqualTo("k: |2-\n   a\n  b\n");
    assertThat(YamlEmitter.emit(Map.of("k", "a\n\n b\n#c")))
        .isEqualTo("k: |-\n  a\n\n   b\n  #c\n");
    assertThat(YamlEmitter.emit(Map.of("k", "true\n"))).isEqualTo("k: |\n  true\n");
    assertThat(YamlEmitter.emit(Map.of("k", "x", "l", "a\n\n", "m", "z")))
        .isEqualTo("k: x\nl: |+\n  a\n\nm: z\n");
    assertThat(YamlEmitter.emit(Map.of("s", List.of(Map.of("k", "a\nb"), "c\nd"))))
        .isEqualTo("s:\n- k: |-\n    a\n    b\n- |-\n  c\n  d\n");
  }

  @Test
  void longAndMultiLineKeysAreExplicit() {
    String longKey = "k".repeat(129);
    assertThat(YamlEmitter.emit(Map.of(longKey, "v"))).isEqualTo("? " + longKey + "\n: v\n");
    assertThat(YamlEmitter.emit(Map.of("k".repeat(128), "v"))).isEqualTo("k".repeat(128) + ": v\n");
    assertThat(YamlEmitter.emit(Map.of("a\nb", "v"))).isEqualTo("? |-\n  a\n  b\n: v\n");
    assertThat(YamlEmitter.emit(Map.of("a\rb", "v"))).isEqualTo("? \"a\\rb\"\n: v\n");
    assertThat(YamlEmitter.emit(Map.of("m", Map.of(longKey, Map.of("x", "1", "w", List.of("z"))))))
        .isEqualTo("m:\n  ? " + longKey + "\n  : w:\n    - z\n    x: \"1\"\n");
    assertThat(YamlEmitter.emit(Map.of(longKey, List.of("a", "b"))))
        .isEqualTo("? " + longKey + "\n: - a\n  - b\n");
  }

  @Test
  void longLinesAreNotFolded() {
    String words = "word ".repeat(40).trim();
    assertThat(YamlEmitter.emit(Map.of("k", words))).isEqualTo("k: " + words + "\n");
    assertThat(YamlEmitter.emit(Map.of("k", words + ":"))).isEqualTo("k: '" + words + ":'\n");
  }

  // ------------------------------------------------------------------ round trip through a YAML
  // 1.1 parser

  private static final List<String> TRICKY =
      List.of(
          "",
          " ",
          "  ",
          "\t",
          "\n",
          "\r",
          "\r\n",
          "\n\n",
          "a\n",
          "\na",
          " \n",
          "\n ",
          "a\r\nb",
          "x\ty",
          "\\",
          "\\n",
          "'",
          "\"",
          "''",
          "\"\"",
          "'\"",
          "%",
          "%YAML",
          "@",
          "`",
          "!",
          "&a",
          "*a",
          "!!str",
          "|",
          ">",
          "#",
          "# c",
          "a #b",
          "a#b",
          "a: b",
          "a:b",
          "a:",
          ":a",
          "-",
          "- a",
          "-a",
          "--",
          "---",
          "--- a",
          "...",
          "... a",
          "?",
          "? a",
          "?a",
          "[",
          "]",
          "{",
          "}",
          "[]",
          "{}",
          "a,b",
          "a, b",
          "<<",
          "~",
          "=",
          "y",
          "n",
          "yes",
          "no",
          "on",
          "off",
          "true",
          "False",
          "NULL",
          "null",
          "Null",
          ".inf",
          "-.Inf",
          "+.INF",
          ".NaN",
          ".nan",
          "0",
          "-0",
          "+0",
          "00",
          "007",
          "08",
          "09",
          "0o17",
          "0O17",
          "0x1F",
          "0X1f",
          "0b101",
          "0B11",
          "-0b101",
          "0b-1",
          "0b",
          "0x",
          "0o",
          "1_000",
          "1__0",
          "_1",
          "1_",
          "1.5",
          ".5",
          "3.",
          "1e3",
          "1E+3",
          "1e",
          "e3",
          ".e3",
          "1.5e-3_0",
          ".5_0",
          "1e400",
          ".5e400",
          "1e-400",
          "9223372036854775807",
          "9223372036854775808",
          "-9223372036854775808",
          "-9223372036854775809",
          "18446744073709551616",
          "0xFFFFFFFFFFFFFFFF",
          "0xFFFFFFFFFFFFFFFFFF",
          "+0xFF",
          "12:30",
          "1:2:3",
          "0:30",
          "12:60",
          "1:30.5",
          "-1:30",
          "190:20:30.15",
          "2024-01-01",
          "2024-1-1",
          "2024-02-29",
          "2023-02-29",
          "2024-02-30",
          "2024-13-01",
          "2024-01-01T10:00:00",
          "2024-01-01T10:00:00Z",
          "2024-01-01t10:00:00.5Z",
          "2024-01-01T10:00:00+25:00",
          "2024-01-01 10:00:00",
          "2024-01-01  10:00:00",
          "2024-01-01\t10:00:00",
          "2001-12-14 21:59:43.10 -5",
          "2024-01-01T1:2:3Z",
          "2024-01-01x",
          "20240101",
          "unicode ünï 日本語",
          "emoji 😀 and 👍🏽",
          "😀",
          "\ud83d\ude00:",
          "\u00a0",
          "\u00a0x\u00a0",
          "\u2028",
          "a\u2028b",
          "a\u2029 b",
          "a \u2028b",
          "\u0085",
          "\ufeff",
          "\ufffd",
          "\ue000",
          "\u0000",
          "\u0007",
          "\u001f",
          "\u007f",
          "\u0080",
          "\u009f",
          "a\\b",
          "C:\\path\\to",
          "\"quoted\"",
          "'single'",
          "it's",
          "say \"hi\"",
          "trailing ",
          " leading",
          " both ",
          "a  b",
          "a\t",
          "\ta",
          "/healthz*",
          "/api/v1/*",
          "system:serviceaccount:kube-system:default",
          "rbac.authorization.k8s.io/v1",
          "pods/log",
          "*.example.com",
          "x".repeat(5000),
          ("long words " + "y").repeat(100),
          "k".repeat(200) + ": v",
          "a\n b\n  c\n",
          "a\n\n\n",
          "\n\nx",
          " \na",
          "#!/bin/sh\necho hi\n",
          "- a\n- b",
          "key: value\nother: x");

  static Stream<String> trickyStrings() {
    return TRICKY.stream();
  }

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("trickyStrings")
  void trickyStringsRoundTrip(String s) {
    assertRoundTrips(s);
  }

  @Test
  void randomStringsRoundTrip() {
    Random random = new Random(20240601L);
    for (int i = 0; i < 2000; i++) {
      assertRoundTrips(randomString(random));
    }
  }

  private static void assertRoundTrips(String s) {
    String asValue = YamlEmitter.emit(Map.of("key", s));
    assertThat(loadMap(asValue))
        .as("value %s written as %s", escapeJava(s), asValue)
        .isEqualTo(Map.of("key", s));
    String asKey = YamlEmitter.emit(Map.of(s, "v"));
    assertThat(loadMap(asKey))
        .as("key %s written as %s", escapeJava(s), asKey)
        .isEqualTo(Map.of(s, "v"));
  }

  private static Object loadMap(String yaml) {
    return new Yaml().load(yaml);
  }

  private static final String[] POOLS = {
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "0123456789",
    "0123456789.-+_:eExXoObB ",
    "yYnNtTfFoOlLuU~",
    " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    "   \t\n\r",
    "\u0000\u0001\u001b\u007f\u0085\u00a0\u2028\u2029\ufeff\ufffd",
    "éüßΩж中日本語\ue000"
  };

  private static final String[] EMOJI = {"😀", "👍🏽", "𝄞"};

  /**
   * Short strings from a few weighted pools, sometimes a prefix that looks like a date or number.
   */
  private static String randomString(Random random) {
    StringBuilder b = new StringBuilder();
    if (random.nextInt(8) == 0) {
      b.append(
          random.nextBoolean()
              ? "2024-0" + random.nextInt(10) + "-1"
              : String.valueOf(random.nextInt(100)));
    }
    int length = random.nextInt(10) == 0 ? 20 + random.nextInt(200) : random.nextInt(12);
    String favourite = POOLS[random.nextInt(POOLS.length)];
    for (int i = 0; i < length; i++) {
      int pick = random.nextInt(20);
      if (pick == 0) {
        b.append(EMOJI[random.nextInt(EMOJI.length)]);
        continue;
      }
      String pool = pick < 10 ? favourite : POOLS[random.nextInt(POOLS.length)];
      b.append(pool.charAt(random.nextInt(pool.length())));
    }
    return b.toString();
  }

  private static String escapeJava(String s) {
    StringBuilder b = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            cp ->
                b.append(
                    cp >= 0x20 && cp < 0x7f
                        ? Character.toString(cp)
                        : String.format("\\u{%X}", cp)));
    return b.append('"').toString();
  }
}
