package dev.rbacsynth.yaml;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Writes one YAML document the way {@code kubectl -o yaml} does, i.e. like sigs.k8s.io/yaml on top
 * of gopkg.in/yaml.v2: keys in yaml.v2 order, two-space indentation, block sequences not indented
 * below their key, and yaml.v2's choice of scalar style (plain, single-quoted, double-quoted with
 * yaml.v2's escapes, or literal block).
 *
 * <p>The tree is built from {@link Map} (string keys, any iteration order), {@link List}, {@link
 * String}, {@link Boolean} and integral numbers ({@link Integer}, {@link Long}, {@link Short},
 * {@link Byte}, {@link BigInteger}). {@code null}, empty maps and empty lists are omitted wherever
 * they occur, also as list items, recursively; only an empty or null root is written ({@code {}},
 * {@code []} or {@code null}).
 *
 * <p>Deliberate differences from yaml.v2 output:
 *
 * <ul>
 *   <li>Long lines are never folded. yaml.v2 (as used by kubectl) breaks plain and quoted scalars
 *       at a space once the line passes column 80; this emitter keeps every non-multi-line scalar
 *       on one line.
 *   <li>A string that yaml.v2 would write plain but that a YAML 1.1 reader like SnakeYAML resolves
 *       to another type is double-quoted, e.g. {@code "<<"} (merge key), {@code
 *       "2024-01-01T10:00:00"} (timestamp without zone), {@code "2024-02-30"}, {@code "1e400"},
 *       {@code "0xFFFFFFFFFFFFFFFFFF"} (beyond 64 bits).
 *   <li>Unpaired UTF-16 surrogates become U+FFFD, as Go's JSON encoding does before yaml.v2 sees
 *       the text.
 * </ul>
 *
 * <p>The result ends with a line break and has no leading {@code ---}. A string that ends in
 * several line breaks is written as a {@code |+} block whose trailing empty lines belong to the
 * value, so such a document ends in more than one line break, exactly as with yaml.v2.
 */
public final class YamlEmitter {

  private static final int INDENT = 2;

  /** yaml.v2 writes longer keys (in UTF-8 bytes) as explicit {@code ? key} entries. */
  private static final int MAX_SIMPLE_KEY_BYTES = 128;

  /**
   * SnakeYAML's resolver, made on first use: it compiles a dozen regular expressions, and most
   * documents need it for no scalar at all (see {@link #readsAsNonStringInYaml11}).
   */
  private static final class Yaml11 {
    static final Resolver READER = new Resolver();

    private Yaml11() {}
  }

  /**
   * The only plain scalars that start with a letter and that YAML 1.1 reads as something other than
   * a string: its booleans and nulls. SnakeYAML picks its implicit resolvers by the first
   * character, and the only ones for letters are these two ({@code YamlEmitterTest} checks the
   * shortcut against the resolver).
   */
  static final Set<String> YAML_1_1_WORDS =
      Set.of(
          "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
          "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL");

  private enum Style {
    PLAIN,
    SINGLE_QUOTED,
    DOUBLE_QUOTED,
    LITERAL
  }

  private final StringBuilder out = new StringBuilder();

  /** Output position and state, tracked as libyaml's emitter does. */
  private int column;

  private boolean whitespace = true;
  private boolean indention = true;

  private YamlEmitter() {}

  /** Serialises one document; see the class description for the accepted tree and the layout. */
  public static String emit(Object tree) {
    YamlEmitter emitter = new YamlEmitter();
    Object content = prune(tree);
    if (content == null) {
      emitter.token(tree instanceof Map ? "{}" : tree instanceof List ? "[]" : "null");
    } else {
      emitter.node(content, -1, false);
    }
    emitter.writeIndent(0);
    return emitter.out.toString();
  }

  // ---------------------------------------------------------------- tree preparation

  /** Copy of the value without nulls and empty collections, or null when nothing is left. */
  private static Object prune(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> kept = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          throw new IllegalArgumentException("map keys must be strings: " + entry.getKey());
        }
        Object child = prune(entry.getValue());
        if (child != null && kept.put(replaceLoneSurrogates(key), child) != null) {
          throw new IllegalArgumentException("duplicate map key after UTF-8 sanitising: " + key);
        }
      }
      return kept.isEmpty() ? null : kept;
    }
    if (value instanceof List<?> list) {
      List<Object> kept = new ArrayList<>();
      for (Object item : list) {
        Object child = prune(item);
        if (child != null) {
          kept.add(child);
        }
      }
      return kept.isEmpty() ? null : kept;
    }
    if (value instanceof String s) {
      return replaceLoneSurrogates(s);
    }
    if (value == null || value instanceof Boolean || isIntegral(value)) {
      return value;
    }
    throw new IllegalArgumentException(
        "unsupported YAML value type: " + value.getClass().getName());
  }

  private static boolean isIntegral(Object value) {
    return value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof BigInteger;
  }

  private static String replaceLoneSurrogates(String s) {
    int[] cps = null;
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        cps = ScalarAnalysis.codePoints(s);
        break;
      }
    }
    if (cps == null) {
      return s; // no surrogate at all, the usual case
    }
    boolean lone = false;
    for (int i = 0; i < cps.length; i++) {
      if (isSurrogate(cps[i])) {
        cps[i] = 0xFFFD;
        lone = true;
      }
    }
    return lone ? new String(cps, 0, cps.length) : s;
  }

  /** String.codePoints() reports an unpaired surrogate as its own value. */
  private static boolean isSurrogate(int cp) {
    return cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
  }

  // ---------------------------------------------------------------- block structure

  @SuppressWarnings("unchecked")
  private void node(Object value, int outerIndent, boolean mappingContext) {
    if (value instanceof Map<?, ?> map) {
      mapping((Map<String, Object>) map, outerIndent);
    } else if (value instanceof List<?> list) {
      sequence(list, outerIndent, mappingContext);
    } else if (value instanceof String s) {
      scalar(s, outerIndent, false);
    } else {
      token(value.toString()); // booleans and integers are always plain
    }
  }

  private void mapping(Map<String, Object> map, int outerIndent) {
    int indent = outerIndent < 0 ? 0 : outerIndent + INDENT;
    List<String> keys = new ArrayList<>(map.keySet());
    keys.sort(YamlKeyOrder.INSTANCE);
    for (String key : keys) {
      writeIndent(indent);
      if (isSimpleKey(key)) {
        scalar(key, indent, true);
        indicator(":", false, false, false);
      } else {
        indicator("?", true, false, true);
        scalar(key, indent, false);
        writeIndent(indent);
        indicator(":", true, false, true);
      }
      node(map.get(key), indent, true);
    }
  }

  /** A sequence that is the value of a simple key stays at the key's indentation ("indentless"). */
  private void sequence(List<?> list, int outerIndent, boolean mappingContext) {
    boolean indentless = mappingContext && !indention;
    int indent = outerIndent < 0 ? 0 : indentless ? outerIndent : outerIndent + INDENT;
    for (Object item : list) {
      writeIndent(indent);
      indicator("-", true, false, true);
      node(item, indent, false);
    }
  }

  private static boolean isSimpleKey(String key) {
    return !ScalarAnalysis.of(key).multiline() && utf8Length(key) <= MAX_SIMPLE_KEY_BYTES;
  }

  private static int utf8Length(String s) {
    int length = 0;
    for (int cp : ScalarAnalysis.codePoints(s)) {
      length += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
    return length;
  }

  // ---------------------------------------------------------------- scalars

  private void scalar(String value, int outerIndent, boolean simpleKey) {
    int indent = outerIndent < 0 ? INDENT : outerIndent + INDENT;
    switch (styleOf(value, simpleKey)) {
      case PLAIN -> token(value);
      case SINGLE_QUOTED -> singleQuoted(value, indent);
      case DOUBLE_QUOTED -> doubleQuoted(value);
      case LITERAL -> literal(value, indent);
    }
  }

  /**
   * yaml.v2's encoder request (quote non-strings, literal for text with LF) refined as libyaml's
   * emitter does.
   */
  private static Style styleOf(String value, boolean simpleKey) {
    ScalarAnalysis analysis = ScalarAnalysis.of(value);
    Style style;
    if (GoYamlResolver.needsQuoting(value)) {
      style = Style.DOUBLE_QUOTED;
    } else if (value.indexOf('\n') >= 0) {
      style = Style.LITERAL;
    } else {
      style = Style.PLAIN;
    }
    if (simpleKey && analysis.multiline()) {
      style = Style.DOUBLE_QUOTED;
    }
    if (style == Style.PLAIN && !analysis.plainAllowed()) {
      style = Style.SINGLE_QUOTED;
    }
    if (style == Style.PLAIN && readsAsNonStringInYaml11(value)) {
      style = Style.DOUBLE_QUOTED; // not yaml.v2: safety for YAML 1.1 readers, see class comment
    }
    if (style == Style.SINGLE_QUOTED && !analysis.singleQuotedAllowed()) {
      style = Style.DOUBLE_QUOTED;
    }
    if (style == Style.LITERAL && (!analysis.blockAllowed() || simpleKey)) {
      style = Style.DOUBLE_QUOTED;
    }
    return style;
  }

  /**
   * Every character of YAML 1.1's numbers and timestamps (SnakeYAML's resolvers for a first {@code
   * -+.0-9}): a scalar with another character, such as {@code 0.1.0-SNAPSHOT}, is a string.
   */
  private static final String YAML_1_1_NUMBER_CHARS = "0123456789+-._:abcdefABCDEFxinINtTZ \t";

  /**
   * SnakeYAML's YAML 1.1 implicit resolution of a plain scalar (e.g. {@code <<}, zone-less
   * timestamps); the resolver itself only where a shortcut cannot tell.
   */
  static boolean readsAsNonStringInYaml11(String plain) {
    if (!plain.isEmpty()) {
      char first = plain.charAt(0);
      if (Character.isLetter(first)) {
        return YAML_1_1_WORDS.contains(plain);
      }
      if ("-+.0123456789".indexOf(first) >= 0) {
        for (int i = 1; i < plain.length(); i++) {
          if (YAML_1_1_NUMBER_CHARS.indexOf(plain.charAt(i)) < 0) {
            return false;
          }
        }
      }
    }
    return !Tag.STR.equals(Yaml11.READER.resolve(NodeId.scalar, plain, true));
  }

  /** Plain text (also booleans and numbers). */
  private void token(String text) {
    if (!whitespace) {
      put(" ");
    }
    put(text);
    whitespace = false;
    indention = false;
  }

  private void singleQuoted(String value, int indent) {
    indicator("'", true, false, false);
    text(value, indent, false, true); // the only breaks that get here are LS and PS
    indicator("'", false, false, false);
    whitespace = false;
    indention = false;
  }

  private void doubleQuoted(String value) {
    indicator("\"", true, false, false);
    StringBuilder text = new StringBuilder();
    for (int cp : ScalarAnalysis.codePoints(value)) {
      if (needsEscape(cp)) {
        text.append(escape(cp));
      } else {
        text.appendCodePoint(cp);
      }
    }
    put(text.toString());
    indicator("\"", false, false, false);
    whitespace = false;
    indention = false;
  }

  private static boolean needsEscape(int cp) {
    return !ScalarAnalysis.isPrintable(cp) || ScalarAnalysis.isBreak(cp) || cp == '"' || cp == '\\';
  }

  /**
   * The escape yaml.v2 writes: a short form where YAML has one, else \xXX, \\uXXXX or \UXXXXXXXX
   * (upper-case hex).
   */
  private static String escape(int cp) {
    return switch (cp) {
      case 0x00 -> "\\0";
      case 0x07 -> "\\a";
      case 0x08 -> "\\b";
      case 0x09 -> "\\t";
      case 0x0A -> "\\n";
      case 0x0B -> "\\v";
      case 0x0C -> "\\f";
      case 0x0D -> "\\r";
      case 0x1B -> "\\e";
      case '"' -> "\\\"";
      case '\\' -> "\\\\";
      case 0x85 -> "\\N";
      case 0xA0 -> "\\_";
      case 0x2028 -> "\\L";
      case 0x2029 -> "\\P";
      default ->
          cp <= 0xFF
              ? String.format("\\x%02X", cp)
              : cp <= 0xFFFF ? String.format("\\u%04X", cp) : String.format("\\U%08X", cp);
    };
  }

  private void literal(String value, int indent) {
    indicator("|", true, false, false);
    blockScalarHints(value);
    putBreak();
    indention = true;
    whitespace = true;
    text(value, indent, true, false);
  }

  /**
   * A scalar's characters, each break written as itself and the line after it indented ({@code
   * atLineStart}: the first line too); {@code doubleApostrophes} writes ' as '' (single-quoted).
   */
  private void text(String value, int indent, boolean atLineStart, boolean doubleApostrophes) {
    boolean breaks = atLineStart;
    for (int cp : ScalarAnalysis.codePoints(value)) {
      if (ScalarAnalysis.isBreak(cp)) {
        writeBreak(cp);
        indention = true;
        breaks = true;
        continue;
      }
      if (breaks) {
        writeIndent(indent);
      }
      put(doubleApostrophes && cp == '\'' ? "''" : Character.toString(cp));
      indention = false;
      breaks = false;
    }
  }

  /**
   * Indentation indicator when the text starts with a space or break; chomping "-" (no final break)
   * or "+" (2+).
   */
  private void blockScalarHints(String value) {
    int[] cps = ScalarAnalysis.codePoints(value);
    if (cps[0] == ' ' || ScalarAnalysis.isBreak(cps[0])) {
      indicator(Integer.toString(INDENT), false, false, false);
    }
    int n = cps.length;
    if (!ScalarAnalysis.isBreak(cps[n - 1])) {
      indicator("-", false, false, false);
    } else if (n == 1 || ScalarAnalysis.isBreak(cps[n - 2])) {
      indicator("+", false, false, false);
    }
  }

  // ---------------------------------------------------------------- low-level output

  private void writeIndent(int indent) {
    int target = Math.max(indent, 0);
    if (!indention || column > target || (column == target && !whitespace)) {
      putBreak();
    }
    while (column < target) {
      put(" ");
    }
    whitespace = true;
    indention = true;
  }

  private void indicator(
      String text, boolean needWhitespace, boolean isWhitespace, boolean isIndention) {
    if (needWhitespace && !whitespace) {
      put(" ");
    }
    put(text);
    whitespace = isWhitespace;
    indention = indention && isIndention;
  }

  /**
   * A line break from the value: LF is written as such, LS and PS are copied and also end the line.
   */
  private void writeBreak(int cp) {
    if (cp == '\n') {
      putBreak();
    } else {
      put(Character.toString(cp));
      column = 0;
    }
  }

  private void putBreak() {
    out.append('\n');
    column = 0;
  }

  private void put(String text) {
    out.append(text);
    column += text.codePointCount(0, text.length());
  }
}
