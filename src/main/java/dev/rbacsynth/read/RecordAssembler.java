package dev.rbacsynth.read;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import tools.jackson.core.StreamReadConstraints;

/**
 * Finds the records that are not one JSON value on one line, line by line, so the layout is decided
 * per record and never for a whole file: a pretty-printed JSON value between event lines, a JSON
 * array over many lines (each element is handed on as soon as it is complete, so a large array
 * streams), values concatenated on one line, and YAML documents. A record that cannot be completed
 * (truncated, mismatched brackets, nested too deep, longer than the line limit) is reported at the
 * line where it starts, and reading goes on at the next line that can start a record.
 *
 * <p>The scan only tracks strings and brackets; the values it finds are parsed by the caller. A
 * line at column 0 that opens an object or array where the record in progress cannot take a value
 * ends that record as truncated: formatters indent everything inside a top-level value.
 */
final class RecordAssembler {

  /** Receives what the assembler finds. */
  interface Out {
    /** One complete JSON value, {@code buf[from, to)}, starting at {@code line}. */
    void json(byte[] buf, int from, int to, long line);

    /** YAML text of one or more documents, {@code buf[from, to)}, starting at {@code line}. */
    void yaml(byte[] buf, int from, int to, long line);

    void problem(long line, String message);
  }

  private enum Mode {
    IDLE,
    JSON,
    YAML,
    /** After a broken record: skip its remaining lines (indented or closing brackets). */
    SKIP
  }

  /** The deepest nesting a record may have: the JSON parser's own limit. */
  static final int MAX_DEPTH = StreamReadConstraints.defaults().getMaxNestingDepth();

  private static final Pattern YAML_KEY =
      Pattern.compile("^\"?[A-Za-z_][\\w.\\-/]*\"?\\s*:(\\s.*)?$");

  private final Out out;
  private final int maxRecord;
  private Mode mode = Mode.IDLE;

  // The record (or array element) being collected.
  private byte[] value = new byte[1 << 12];
  private int length;
  private long startLine;

  // JSON scan state.
  private byte[] stack = new byte[64];
  private int depth;
  private boolean inString;
  private boolean escaped;
  private byte last;
  private boolean streamArray; // the record is a top-level array: its elements go out one by one
  private long elementLine;

  RecordAssembler(Out out, int maxRecord) {
    this.out = out;
    this.maxRecord = maxRecord;
  }

  boolean idle() {
    return mode == Mode.IDLE;
  }

  /**
   * Starts a record at a line that is not one complete JSON value (or one that failed to parse as
   * one): a multi-line or concatenated JSON value, YAML, or something else, which is reported.
   */
  void start(byte[] buf, int from, int to, long line) {
    int first = firstNonSpace(buf, from, to);
    if (first == to) {
      return;
    }
    byte c = buf[first];
    if (c == '{' || c == '[') {
      mode = Mode.JSON;
      resetJson();
      scan(buf, first, to, line);
      return;
    }
    if (first == from && startsYaml(buf, from, to)) {
      mode = Mode.YAML;
      length = 0;
      startLine = line;
      append(buf, from, to, line);
      return;
    }
    out.problem(
        line, "not a JSON object or a YAML document: starts with " + preview(buf, first, to));
    if (first > from) {
      mode = Mode.SKIP;
    }
  }

  /**
   * Offers the next line while a record is in progress. False when the line does not belong to it
   * (the record in progress was finished or reported): then the caller reads the line as new.
   */
  boolean accept(byte[] buf, int from, int to, long line) {
    byte col0 = from < to ? buf[from] : (byte) ' ';
    switch (mode) {
      case JSON -> {
        if (((col0 == '{' || col0 == '[') && !valueExpected())
            || (from < to && col0 != '"' && startsYaml(buf, from, to))) {
          incomplete();
          return false;
        }
        scan(buf, from, to, line);
        return true;
      }
      case YAML -> {
        if (col0 == '{' || col0 == '[') {
          flushYaml();
          mode = Mode.IDLE;
          return false;
        }
        if (isDocumentMarker(buf, from, to, "---")) {
          flushYaml();
          startLine = line;
        } else if (isDocumentMarker(buf, from, to, "...")) {
          flushYaml();
          mode = Mode.IDLE;
          return true;
        }
        append(buf, from, to, line);
        return true;
      }
      case SKIP -> {
        if (isSpace(col0) || col0 == '}' || col0 == ']' || col0 == ',') {
          return true;
        }
        mode = Mode.IDLE;
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  /** The end of the input (or of a segment): a record still open is reported or handed on. */
  void finish() {
    switch (mode) {
      case JSON -> incomplete();
      case YAML -> flushYaml();
      default -> {}
    }
    mode = Mode.IDLE;
  }

  private void incomplete() {
    if (streamArray && depth == 1 && length == 0) {
      out.problem(
          startLine, "malformed JSON: the array that starts here is not closed (truncated?)");
    } else {
      out.problem(
          streamArray ? elementLine : startLine,
          "malformed JSON: the record that starts here is not complete (truncated?)");
    }
    resetJson();
    mode = Mode.IDLE;
  }

  private void flushYaml() {
    if (length > 0) {
      out.yaml(value, 0, length, startLine);
    }
    length = 0;
  }

  private boolean valueExpected() {
    return depth > 0 && stack[depth - 1] == '[' && (last == '[' || last == ',');
  }

  private void resetJson() {
    length = 0;
    depth = 0;
    inString = false;
    escaped = false;
    last = 0;
    streamArray = false;
  }

  private void scan(byte[] b, int from, int to, long line) {
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (inString) {
        if (!put(c, line)) {
          return;
        }
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      if (isSpace(c)) {
        if (length > 0 && !put(c, line)) {
          return;
        }
        continue;
      }
      if (depth == 0) {
        if (c != '{' && c != '[') {
          out.problem(
              line, "malformed JSON: unexpected text after a JSON value: " + preview(b, i, to));
          mode = Mode.IDLE;
          resetJson();
          return;
        }
        resetJson();
        mode = Mode.JSON;
        startLine = line;
        if (c == '[') {
          streamArray = true;
          push(c);
          last = c;
          continue;
        }
      }
      if (streamArray && depth == 1 && length == 0) {
        if (c == ']') {
          depth = 0;
          last = c;
          continue;
        }
        if (c == ',') {
          last = c;
          continue;
        }
        elementLine = line;
      }
      switch (c) {
        case '{', '[' -> {
          if (depth >= MAX_DEPTH) {
            broken(line, "nested more than " + MAX_DEPTH + " levels deep");
            return;
          }
          push(c);
        }
        case '}', ']' -> {
          byte open = c == '}' ? (byte) '{' : (byte) '[';
          if (stack[depth - 1] != open) {
            broken(line, "unexpected '" + (char) c + "'");
            return;
          }
          depth--;
          if (streamArray && depth == 0) {
            emit(elementLine); // the last element, a scalar
            last = c;
            continue;
          }
        }
        case ',' -> {
          if (streamArray && depth == 1) {
            emit(elementLine); // a scalar element
            last = c;
            continue;
          }
        }
        case '"' -> inString = true;
        default -> {}
      }
      if (!put(c, line)) {
        return;
      }
      last = c;
      if (depth == 0) {
        emit(startLine);
      } else if (streamArray && depth == 1 && (c == '}' || c == ']')) {
        emit(elementLine);
      }
    }
    if (inString) {
      broken(line, "a line ends inside a string (truncated?)");
      return;
    }
    if (depth == 0) {
      mode = Mode.IDLE;
    }
  }

  private void emit(long line) {
    if (length > 0) {
      out.json(value, 0, length, line);
    }
    length = 0;
  }

  private void broken(long line, String why) {
    long start = streamArray && depth >= 1 ? elementLine : startLine;
    out.problem(start, "malformed JSON: " + why + (line != start ? " (at line " + line + ")" : ""));
    resetJson();
    mode = Mode.SKIP;
  }

  private void push(byte c) {
    if (depth == stack.length) {
      stack = Arrays.copyOf(stack, stack.length * 2);
    }
    stack[depth++] = c;
  }

  private boolean put(byte c, long line) {
    if (length == value.length && !grow(1)) {
      broken(line, "a record longer than " + (maxRecord >> 20) + " MiB");
      return false;
    }
    value[length++] = c;
    return true;
  }

  private void append(byte[] b, int from, int to, long line) {
    int n = to - from + 1;
    if (length + n > value.length && !grow(n)) {
      out.problem(
          startLine,
          "a YAML document longer than " + (maxRecord >> 20) + " MiB (at line " + line + ")");
      length = 0;
      mode = Mode.SKIP;
      return;
    }
    System.arraycopy(b, from, value, length, to - from);
    length += to - from;
    value[length++] = '\n';
  }

  private boolean grow(int needed) {
    long want = Math.max((long) value.length * 2, (long) length + needed);
    if ((long) length + needed > maxRecord) {
      return false;
    }
    value = Arrays.copyOf(value, (int) Math.min(want, maxRecord));
    return true;
  }

  private static boolean startsYaml(byte[] b, int from, int to) {
    byte c = b[from];
    if (c == '#' || c == '%') {
      return true;
    }
    if (isDocumentMarker(b, from, to, "---")) {
      return true;
    }
    if (c == '-' && (to - from == 1 || b[from + 1] == ' ')) {
      return true;
    }
    int n = Math.min(to - from, 200);
    return YAML_KEY.matcher(new String(b, from, n, StandardCharsets.UTF_8)).matches();
  }

  /** A line that is {@code ---} or {@code ...} alone, or {@code ---} followed by a space. */
  private static boolean isDocumentMarker(byte[] b, int from, int to, String marker) {
    int n = to;
    while (n > from && isSpace(b[n - 1])) {
      n--;
    }
    if (n - from < 3
        || b[from] != marker.charAt(0)
        || b[from + 1] != marker.charAt(1)
        || b[from + 2] != marker.charAt(2)) {
      return false;
    }
    return n - from == 3 || (marker.equals("---") && b[from + 3] == ' ');
  }

  private static int firstNonSpace(byte[] b, int from, int to) {
    int i = from;
    while (i < to && isSpace(b[i])) {
      i++;
    }
    return i;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  /** The first characters of a line, quoted, for a message. */
  static String preview(byte[] b, int from, int to) {
    int end = to;
    while (end > from && isSpace(b[end - 1])) {
      end--;
    }
    int n = Math.min(end - from, 40);
    String text = new String(b, from, n, StandardCharsets.UTF_8);
    return "\"" + text + (end - from > n ? "..." : "") + "\"";
  }
}
