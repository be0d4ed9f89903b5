package dev.rbacsynth.read;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.yaml.YamlDocuments;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads audit records from one source, streaming: gzip is detected by its magic bytes (every member
 * is read, see {@link GzipMembers}), UTF-16 is read as UTF-8, and other compressed formats are
 * named. Then each record is read in its own layout: JSON lines (the log backend) on the fast path,
 * and pretty-printed or concatenated JSON, JSON arrays and YAML documents wherever they occur
 * ({@link RecordAssembler}). Bad records become {@link ReadProblem}s and reading goes on with the
 * next record.
 */
public final class AuditLogReader {

  static final int MAX_LINE = 64 * 1024 * 1024;
  private static final int PEEK = 1 << 20;
  private static final int BUFFER = 1 << 20;
  private static final int CHUNK = 512 << 10;
  private static final int MIN_BUFFER = 8 << 10;

  private enum Layout {
    JSON_LINES,
    JSON_STREAM,
    YAML,
    EMPTY
  }

  /**
   * The token-stream factory for all readers (thread-safe), with thread-local buffer recycling: the
   * shared default pool is contended when segments are read in parallel. Log lines the apiserver
   * wrote are decoded from its parsers alone, without Jackson's data binding.
   */
  static final class Tokens {
    static final JsonFactory FACTORY =
        JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build();

    private Tokens() {}
  }

  /**
   * One mapper for all readers (it is thread-safe), on the same factory, for what is read as a tree
   * (envelopes, YAML, unusual lines): building it loads a few hundred classes, so it is built on
   * first use only.
   */
  static final class Jackson {
    // A JSON line must hold exactly one value, so trailing tokens stay an error there.
    static final JsonMapper MAPPER = JsonMapper.builder(Tokens.FACTORY).build();

    /**
     * Reads one value of a stream or array: the next record is not a "trailing token" of this one.
     */
    static final ObjectReader STREAM_VALUE_READER =
        MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Jackson() {}
  }

  private final RecordDispatcher dispatcher;
  private final LinePrefilter prefilter;
  private final ReadStats stats;

  public AuditLogReader(RecordDispatcher dispatcher, LinePrefilter prefilter, ReadStats stats) {
    this.dispatcher = dispatcher;
    this.prefilter = prefilter;
    this.stats = stats;
  }

  public void read(InputSource source, RecordSink sink) {
    String name = source.name();
    try (InputStream raw = source.openRaw()) {
      CountingInputStream counted = new CountingInputStream(raw, stats.storedBytes);
      int stored = bufferFor(source.size());
      BufferedInputStream buffered = new BufferedInputStream(counted, stored);
      GzipMembers gzip = isGzip(buffered) ? new GzipMembers(buffered) : null;
      // Inflating runs on its own thread, overlapping with the scan of what was already inflated.
      CountingInputStream inflated =
          gzip != null ? new CountingInputStream(gzip, new LongAdder()) : null;
      InputStream data = gzip != null ? new ReadAheadInputStream(inflated, 4, BUFFER) : buffered;
      BufferedInputStream in = new BufferedInputStream(data, gzip != null ? BUFFER : stored);
      String foreign = InputKinds.unreadable(in, name);
      if (foreign != null) {
        problem(sink, new SourceLocation(name, 0), foreign);
      } else {
        Charset utf16 = InputKinds.utf16(in);
        read(
            name,
            utf16 == null ? in : new BufferedInputStream(new Utf8Transcoder(in, utf16), BUFFER),
            // a file's lines after those read before: none is nothing new, not an empty input
            !(source instanceof InputSource.WholeLinesSource),
            gzip != null || utf16 != null ? CHUNK : Math.min(CHUNK, stored),
            sink);
      }
      data.close();
      stats.logBytes.add(inflated != null ? inflated.count() : counted.count());
      List<String> damaged =
          gzip != null
              ? gzip.damage()
              : raw instanceof InputSource.GzipDamage d ? d.gzipDamage() : List.of();
      for (String damage : damaged) {
        problem(sink, new SourceLocation(name, 0), damage);
      }
    } catch (IOException e) {
      throw new InputException(name + ": " + e.getMessage(), e);
    }
  }

  /**
   * The buffer for a source of {@code size} stored bytes: the whole source and one byte when it is
   * smaller than {@link #BUFFER} (a small file then fills its buffers in one read and reaches the
   * end with the next; zeroing megabyte buffers that a 20 KB log never fills, and touching their
   * fresh heap pages, cost a small run a few milliseconds), else {@link #BUFFER}. An unknown size
   * (standard input) gets {@link #BUFFER}; a file that grows while it is read is still read whole,
   * in smaller reads.
   */
  static int bufferFor(long size) {
    return size >= 0 && size < BUFFER ? (int) Math.max(size + 1, MIN_BUFFER) : BUFFER;
  }

  /**
   * True when the file is uncompressed JSON lines, so it can be split into line-aligned segments.
   */
  public boolean isPlainJsonLines(Path file) {
    try (InputStream raw = Files.newInputStream(file)) {
      BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
      return !isGzip(in) && detect(in) == Layout.JSON_LINES;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Reads the JSON lines of {@code file[start, end)}, a range that begins at a line start. Line
   * numbers in the locations are relative to the range; the caller adds the lines of the ranges
   * before it.
   */
  public long readSegment(Path file, String name, long start, long end, RecordSink sink) {
    try (FileChannel channel = FileChannel.open(file)) {
      CountingInputStream segment =
          new CountingInputStream(new RangeInputStream(channel, start, end), stats.storedBytes);
      long records = readJsonLines(name, segment, CHUNK, sink);
      stats.logBytes.add(segment.count());
      return records;
    } catch (IOException e) {
      throw new InputException(name + ": " + e.getMessage(), e);
    }
  }

  private static boolean isGzip(BufferedInputStream in) throws IOException {
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == 0x1f && b2 == 0x8b;
  }

  /**
   * Reads the records of a source. The layout is found per record, never for the whole file: one
   * JSON value a line is the fast path, and whatever is not (a pretty-printed or concatenated
   * value, a JSON array over many lines, YAML documents, a broken record) is found by the {@link
   * RecordAssembler} where it occurs, so it costs no other record.
   */
  private void read(
      String name, BufferedInputStream in, boolean emptyIsAProblem, int chunk, RecordSink sink)
      throws IOException {
    if (detect(in) == Layout.EMPTY) {
      if (emptyIsAProblem) {
        problem(sink, new SourceLocation(name, 0), "empty input: no audit events");
      }
      return;
    }
    readJsonLines(name, in, chunk, sink);
  }

  /** Looks at the first non-blank line without consuming it. */
  private Layout detect(BufferedInputStream in) throws IOException {
    in.mark(PEEK);
    byte[] head = in.readNBytes(PEEK);
    in.reset();
    int i = 0;
    if (head.length >= 3
        && (head[0] & 0xff) == 0xEF
        && (head[1] & 0xff) == 0xBB
        && (head[2] & 0xff) == 0xBF) {
      i = 3;
    }
    while (i < head.length && isSpace(head[i])) {
      i++;
    }
    if (i == head.length) {
      return Layout.EMPTY;
    }
    if (head[i] == '[') {
      return Layout.JSON_STREAM;
    }
    int lineEnd = i;
    while (lineEnd < head.length && head[lineEnd] != '\n') {
      lineEnd++;
    }
    if (head[i] == '{') {
      // One complete object alone on the first line means JSON lines; otherwise a pretty-printed
      // JSON stream, or
      // objects concatenated without newlines (Firehose deliveries of CloudWatch Logs subscription
      // records).
      try (JsonParser parser = Tokens.FACTORY.createParser(head, i, lineEnd - i)) {
        parser.skipChildren();
        JsonToken token = parser.nextToken();
        parser.skipChildren();
        return token == JsonToken.START_OBJECT
                && parser.currentToken() == JsonToken.END_OBJECT
                && parser.nextToken() == null
            ? Layout.JSON_LINES
            : Layout.JSON_STREAM;
      } catch (JacksonException e) {
        return e.getMessage() != null && e.getMessage().contains("end-of-input")
            ? Layout.JSON_STREAM
            : Layout.JSON_LINES;
      }
    }
    String first = new String(head, i, Math.min(lineEnd - i, 200), StandardCharsets.UTF_8);
    if (first.startsWith("---")
        || first.startsWith("%")
        || first.startsWith("#")
        || first.matches("^\"?[A-Za-z_][\\w.\\-/]*\"?\\s*:.*")) {
      return Layout.YAML;
    }
    return Layout.JSON_LINES;
  }

  /** A line this long carries request or response bodies, which are skipped while parsing. */
  private static final int LONG_LINE = 8 << 10;

  /**
   * Parses an event without its bodies: of {@code requestObject} only {@code roleRef} and {@code
   * spec.signerName} are ever read, of {@code responseObject} only {@code spec.signerName}. Every
   * token is still read, so a malformed body is still an error; only the tree (and its cost)
   * shrinks. At RequestResponse level a body can be megabytes (a list response).
   */
  private JsonNode readWithoutBodies(byte[] buf, int from, int to) {
    try (JsonParser p = Jackson.MAPPER.createParser(buf, from, to - from)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Jackson.MAPPER.readTree(buf, from, to - from);
      }
      ObjectNode root = Jackson.MAPPER.createObjectNode();
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "responseObject" -> root.set(name, EventDecoder.keep(p, "spec"));
          case "requestObject" -> root.set(name, EventDecoder.keep(p, "roleRef", "spec"));
          default -> root.set(name, Jackson.STREAM_VALUE_READER.readTree(p));
        }
      }
      if (p.nextToken() != null) {
        throw new StreamReadException(p, "trailing data after the JSON value");
      }
      return root;
    }
  }

  private static boolean looksComplete(byte[] buf, int from, int to) {
    return (buf[from] == '{' && buf[to - 1] == '}') || (buf[from] == '[' && buf[to - 1] == ']');
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  /** Reads JSON lines and returns how many lines there were. */
  private long readJsonLines(String name, InputStream in, int chunk, RecordSink sink)
      throws IOException {
    ChunkReader chunks = new ChunkReader(in, chunk, MAX_LINE);
    RecordAssembler records = assembler(name, sink);
    ByteSearch[] needles = prefilter.searchers();
    String escapes = prefilter.escapes();
    long line = 0;
    long dropped = 0;
    while (true) {
      boolean more = chunks.next();
      // A line over the limit (a record with its bodies) is skipped unread, and reported at its
      // place: before the chunk that follows it, or at the end.
      for (; dropped < chunks.droppedLongLines(); dropped++) {
        line++;
        stats.records.increment();
        records.finish();
        problem(
            sink,
            new SourceLocation(name, line),
            "line longer than " + (MAX_LINE >> 20) + " MiB, skipped");
      }
      if (!more) {
        break;
      }
      byte[] buf = chunks.buffer();
      int length = chunks.length();
      // An ISO-8859-1 view keeps byte offsets and lets the JDK's vectorised indexOf(char) find line
      // ends and
      // backslashes; names are found with Boyer-Moore-Horspool. Each occurrence is searched once
      // per chunk.
      String text = new String(buf, 0, length, StandardCharsets.ISO_8859_1);
      for (ByteSearch needle : needles) {
        needle.calibrate(buf, length);
      }
      int[] nextHit = new int[needles.length];
      Arrays.fill(nextHit, -2); // -2: not searched yet; -1: no more in this chunk
      int nextEscape = -2;
      int[] nextOverlong = new int[LinePrefilter.OVERLONG_LEADS.length];
      Arrays.fill(nextOverlong, -2);
      int nextTime = -2;
      int nextStage = -2;
      int start = 0;
      while (start < length) {
        int newline = text.indexOf('\n', start);
        int end = newline < 0 ? length : newline;
        line++;
        boolean candidate = !prefilter.filters();
        for (int k = 0; k < needles.length && !candidate; k++) {
          if (nextHit[k] != -1 && nextHit[k] < start) {
            nextHit[k] = needles[k].indexOf(text, buf, start, length);
          }
          candidate = nextHit[k] >= 0 && nextHit[k] < end;
        }
        if (!candidate && prefilter.filters()) {
          if (nextEscape != -1 && nextEscape < start) {
            nextEscape = LinePrefilter.nextEscape(text, start, length, escapes);
          }
          candidate = nextEscape >= 0 && nextEscape < end;
        }
        for (int k = 0; k < nextOverlong.length && !candidate && prefilter.filters(); k++) {
          if (nextOverlong[k] != -1 && nextOverlong[k] < start) {
            nextOverlong[k] =
                LinePrefilter.nextOverlong(text, start, length, LinePrefilter.OVERLONG_LEADS[k]);
          }
          candidate = nextOverlong[k] >= 0 && nextOverlong[k] < end;
        }
        Instant skippedTime = null;
        Instant skippedStage = null;
        if (!candidate) {
          // The line is not parsed, but its times still count in the observation window: the
          // last "requestReceivedTimestamp" and "stageTimestamp" keys of a line written as the
          // apiserver writes it are the top-level ones (bodies come before them, annotation values
          // are strings, so a quote in them is escaped).
          int last = -1;
          if (nextTime != -1 && nextTime < start) {
            nextTime = text.indexOf(TIME_KEY, start);
          }
          while (nextTime >= 0 && nextTime < end) {
            last = nextTime;
            nextTime = text.indexOf(TIME_KEY, nextTime + TIME_KEY.length());
          }
          skippedTime = last < 0 ? null : timeAt(text, last + TIME_KEY.length(), end);
          last = -1;
          if (nextStage != -1 && nextStage < start) {
            nextStage = text.indexOf(STAGE_KEY, start);
          }
          while (nextStage >= 0 && nextStage < end) {
            last = nextStage;
            nextStage = text.indexOf(STAGE_KEY, nextStage + STAGE_KEY.length());
          }
          skippedStage = last < 0 ? null : timeAt(text, last + STAGE_KEY.length(), end);
        }
        line(name, line, buf, start, end, candidate, skippedTime, skippedStage, records, sink);
        start = end + 1;
      }
    }
    records.finish();
    return line;
  }

  /** Where the records that are not one value on one line go: parsed here, then dispatched. */
  private RecordAssembler assembler(String name, RecordSink sink) {
    return new RecordAssembler(
        new RecordAssembler.Out() {
          @Override
          public void json(byte[] buf, int from, int to, long line) {
            stats.records.increment();
            parse(name, line, buf, from, to, null, sink);
          }

          @Override
          public void yaml(byte[] buf, int from, int to, long line) {
            readYaml(name, line, buf, from, to, sink);
          }

          @Override
          public void problem(long line, String message) {
            stats.records.increment();
            AuditLogReader.this.problem(sink, new SourceLocation(name, line), message);
          }
        },
        MAX_LINE);
  }

  /** The key of the time a native Event line is counted at (the decoder's first choice). */
  static final String TIME_KEY = "\"requestReceivedTimestamp\":\"";

  /** The key of the time a native Event line's stage was written. */
  private static final String STAGE_KEY = "\"stageTimestamp\":\"";

  /** The time of the string value starting at {@code from}, or null if it is not a plain time. */
  static Instant timeAt(String text, int from, int end) {
    int close = text.indexOf('"', from);
    if (close < 0 || close >= end || close - from > 40) {
      return null;
    }
    return Timestamps.parse(text.substring(from, close));
  }

  /**
   * @param skippedTime for a line the pre-filter skipped, its requestReceivedTimestamp as read from
   *     its bytes (null when none could be read: then the line is parsed after all, so that its
   *     time is counted)
   * @param skippedStage the same line's stageTimestamp, null when it has none
   */
  private void line(
      String name,
      long line,
      byte[] buf,
      int from,
      int to,
      boolean candidate,
      Instant skippedTime,
      Instant skippedStage,
      RecordAssembler records,
      RecordSink sink) {
    if (!records.idle() && records.accept(buf, from, to, line)) {
      return;
    }
    stats.records.increment();
    if (line == 1
        && to - from >= 3
        && (buf[from] & 0xff) == 0xEF
        && (buf[from + 1] & 0xff) == 0xBB
        && (buf[from + 2] & 0xff) == 0xBF) {
      from += 3;
    }
    while (from < to && isSpace(buf[from])) {
      from++;
    }
    while (to > from && isSpace(buf[to - 1])) {
      to--;
    }
    if (from == to) {
      return;
    }
    if (buf[from] != '{' && buf[from] != '[') {
      // "NODE {event}": oc adm node-logs of several OpenShift control-plane nodes
      from = OpenShiftNodeLogs.eventStart(buf, from, to);
    }
    if (!looksComplete(buf, from, to)) {
      // Not one value on this line: a value over several lines, YAML, or a broken record (the
      // assembler counts the records it finds).
      stats.records.decrement();
      records.start(buf, from, to, line);
      return;
    }
    if (!candidate) {
      if (skippedTime != null && startsAsNativeEvent(buf, from, to)) {
        stats.skippedByPrefilter.increment();
        stats.skippedEvents.increment();
        stats.observe(skippedTime, skippedStage != null ? skippedStage : skippedTime);
        return;
      }
      // Any other line (an envelope, an event without a plain time) is parsed after all: the
      // observation window is the whole input's, whichever lines the subject is in.
    }
    parse(name, line, buf, from, to, records, sink);
  }

  /**
   * Parses one JSON value and dispatches what it holds.
   *
   * @param records where a line that does not parse as one value goes to be looked at as several
   *     (concatenated values) or reported; null when the value came from there
   */
  private void parse(
      String name,
      long line,
      byte[] buf,
      int from,
      int to,
      RecordAssembler records,
      RecordSink sink) {
    SourceLocation location = new SourceLocation(name, line);
    if (startsAsNativeEvent(buf, from, to) && decodedNative(buf, from, to, location, sink)) {
      return;
    }
    JsonNode node;
    try {
      node =
          to - from > LONG_LINE
              ? readWithoutBodies(buf, from, to)
              : Jackson.MAPPER.readTree(buf, from, to - from);
    } catch (JacksonException e) {
      if (records != null) {
        stats.records.decrement();
        records.start(buf, from, to, line);
      } else {
        problem(sink, location, "malformed JSON: " + JsonProblems.describe(e, line - 1));
      }
      return;
    }
    dispatch(node, location, sink);
  }

  /** How the apiserver starts every Event it writes. */
  private static final byte[] NATIVE_EVENT_START =
      "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/".getBytes(StandardCharsets.US_ASCII);

  private static boolean startsAsNativeEvent(byte[] buf, int from, int to) {
    return to - from > NATIVE_EVENT_START.length
        && Arrays.equals(
            buf,
            from,
            from + NATIVE_EVENT_START.length,
            NATIVE_EVENT_START,
            0,
            NATIVE_EVENT_START.length);
  }

  /**
   * Decodes a line the apiserver wrote as an Event straight from its bytes, without a tree. False
   * when the line must take the tree path after all (malformed, trailing data, or a repeated {@code
   * kind}), which then reports it as it reports any line.
   */
  private boolean decodedNative(
      byte[] buf, int from, int to, SourceLocation location, RecordSink sink) {
    AuditEvent event = null;
    IllegalArgumentException invalid = null;
    try (JsonParser p = Tokens.FACTORY.createParser(buf, from, to - from)) {
      p.nextToken();
      try {
        event = EventDecoder.decodeNative(p, sink.usageOnly());
        if (event == null) {
          return false;
        }
      } catch (IllegalArgumentException e) {
        invalid = e;
      }
      if (p.nextToken() != null) {
        return false;
      }
    } catch (JacksonException e) {
      return false;
    }
    AuditEvent decoded = event;
    IllegalArgumentException reason = invalid;
    dispatcher.event(
        () -> {
          if (reason != null) {
            throw reason;
          }
          return decoded;
        },
        location,
        counting(sink));
    return true;
  }

  /** One YAML document (with its {@code ---} line) that starts at {@code firstLine}. */
  private void readYaml(
      String name, long firstLine, byte[] buf, int from, int to, RecordSink sink) {
    Reader reader = YamlDocuments.strictUtf8(new ByteArrayInputStream(buf, from, to - from));
    try {
      YamlDocuments.forEach(
          reader,
          (document, line) -> {
            stats.records.increment();
            SourceLocation location = new SourceLocation(name, firstLine + line - 1);
            JsonNode node;
            try {
              node = Jackson.MAPPER.valueToTree(document);
            } catch (JacksonException | IllegalArgumentException e) {
              problem(sink, location, "YAML document cannot be read as JSON: " + describe(e));
              return;
            }
            dispatch(node, location, sink);
          });
    } catch (YamlDocuments.YamlSyntaxException e) {
      problem(
          sink,
          new SourceLocation(name, firstLine + Math.max(1, e.line()) - 1),
          e.getMessage() + "; the document is skipped");
    }
  }

  private void dispatch(JsonNode node, SourceLocation location, RecordSink sink) {
    dispatcher.dispatch(node, location, counting(sink));
  }

  /** The sink, with events and problems counted in the read statistics. */
  private RecordSink counting(RecordSink sink) {
    return new RecordSink() {
      @Override
      public void event(AuditEvent event, SourceLocation where) {
        stats.events.increment();
        Instant received = event.requestReceivedTimestamp();
        Instant stage =
            event.stageTimestamp().isEmpty() ? null : Timestamps.parse(event.stageTimestamp());
        stats.observe(received != null ? received : stage, stage != null ? stage : received);
        sink.event(event, where);
      }

      @Override
      public boolean usageOnly() {
        return sink.usageOnly();
      }

      @Override
      public void problem(ReadProblem problem) {
        stats.problems.increment();
        sink.problem(problem);
      }
    };
  }

  private void problem(RecordSink sink, SourceLocation location, String message) {
    stats.problems.increment();
    sink.problem(new ReadProblem(location, message));
  }

  private static String describe(Exception e) {
    return e instanceof JacksonException je
        ? JsonProblems.describe(je)
        : YamlDocuments.oneLine(e.getMessage());
  }
}
