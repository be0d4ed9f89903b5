package dev.rbacsynth.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;

/**
 * The floor under {@code collect}'s speed: the JSON parser alone over a JSON-lines log, on as many
 * threads as {@code collect} reads with. Every line is tokenised by a parser of its own (as the
 * reader parses it) and every string value is decoded, nothing else is done: no event is built,
 * nothing is counted but tokens. {@code collect} cannot be faster than this plus its own work.
 *
 * <pre>
 * java -cp target/test-classes:target/rbac-synth.jar dev.rbacsynth.bench.JsonParseFloor LOG [THREADS]
 * </pre>
 *
 * Prints "SECONDS MB/s TOKENS" (the time from the first read to the last line, JVM start-up left
 * out).
 */
public final class JsonParseFloor {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build();

  private JsonParseFloor() {}

  public static void main(String[] args) throws Exception {
    Path log = Path.of(args[0]);
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    long size = Files.size(log);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    List<Future<Long>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long from = size * t / threads;
      long to = size * (t + 1) / threads;
      parts.add(pool.submit(() -> tokens(log, from, to)));
    }
    long tokens = 0;
    for (Future<Long> part : parts) {
      tokens += part.get();
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "%.2f %.0f %d%n", seconds, size / seconds / 1e6, tokens);
  }

  /** The tokens of the lines that start in [from, to) (a line starts after a newline). */
  private static long tokens(Path log, long from, long to) throws IOException {
    long tokens = 0;
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long pos = from;
      if (from > 0) { // the line that holds `from` belongs to the part before
        file.seek(from - 1);
        while (file.read() != '\n' && file.getFilePointer() < to) {
          // skip
        }
        pos = file.getFilePointer();
      }
      byte[] buf = new byte[1 << 20];
      int have = 0;
      while (pos < to) {
        int got = file.read(buf, have, buf.length - have);
        if (got <= 0) {
          break;
        }
        have += got;
        int lineStart = 0;
        for (int i = 0; i < have && pos + lineStart < to; i++) {
          if (buf[i] == '\n') {
            tokens += tokens(buf, lineStart, i);
            lineStart = i + 1;
          }
        }
        System.arraycopy(buf, lineStart, buf, 0, have - lineStart);
        pos += lineStart;
        have -= lineStart;
        if (have == buf.length) {
          throw new IOException("a line longer than " + buf.length + " bytes");
        }
      }
    }
    return tokens;
  }

  private static long tokens(byte[] buf, int from, int to) {
    long tokens = 0;
    try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), buf, from, to - from)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        tokens++;
        if (t == JsonToken.VALUE_STRING) {
          p.getString();
        }
      }
    }
    return tokens;
  }
}
