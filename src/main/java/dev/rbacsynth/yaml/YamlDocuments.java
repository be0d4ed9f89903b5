package dev.rbacsynth.yaml;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a multi-document YAML stream safely: alias expansion, nesting depth and document size are
 * limited (no "billion laughs"), timestamps stay strings, and each document comes with the line it
 * starts on.
 */
public final class YamlDocuments {

  /** A YAML stream that cannot be parsed; {@link #line()} is 1-based, 0 when unknown. */
  public static final class YamlSyntaxException extends RuntimeException {
    private final long line;

    YamlSyntaxException(String message, long line) {
      super(message);
      this.line = line;
    }

    public long line() {
      return line;
    }
  }

  /** A key given twice in one mapping: the later one's 1-based line, and the key. */
  public record DuplicateKey(int line, String key) {}

  private static final class PlainConstructor extends SafeConstructor {
    private final Consumer<DuplicateKey> duplicateKeys;

    PlainConstructor(LoaderOptions options, Consumer<DuplicateKey> duplicateKeys) {
      super(options);
      this.duplicateKeys = duplicateKeys;
      this.yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
      this.yamlConstructors.put(Tag.BINARY, new ConstructYamlStr());
    }

    /**
     * Scalar keys given twice are reported with their line and the earlier value dropped, as
     * SnakeYAML drops it (the last one wins); SnakeYAML's own warning knows no position. Keys equal
     * only once constructed (an int written two ways) are still left to SnakeYAML.
     */
    @Override
    protected void processDuplicateKeys(MappingNode node, boolean forceStringKeys) {
      if (duplicateKeys != null) {
        List<NodeTuple> tuples = node.getValue();
        Map<String, Integer> seen = new HashMap<>();
        boolean[] dropped = new boolean[tuples.size()];
        boolean any = false;
        for (int i = 0; i < tuples.size(); i++) {
          if (!(tuples.get(i).getKeyNode() instanceof ScalarNode key)
              || Tag.MERGE.equals(key.getTag())) {
            continue;
          }
          Integer earlier = seen.put(key.getTag().getValue() + " " + key.getValue(), i);
          if (earlier != null) {
            dropped[earlier] = true;
            any = true;
            duplicateKeys.accept(
                new DuplicateKey(key.getStartMark().getLine() + 1, key.getValue()));
          }
        }
        if (any) {
          for (int i = tuples.size() - 1; i >= 0; i--) {
            if (dropped[i]) {
              tuples.remove(i);
            }
          }
        }
      }
      super.processDuplicateKeys(node, forceStringKeys);
    }

    Object construct(Node node) {
      return constructDocument(node);
    }
  }

  private YamlDocuments() {}

  static LoaderOptions limits() {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(100);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(64);
    options.setCodePointLimit(256 * 1024 * 1024);
    options.setAllowDuplicateKeys(true);
    return options;
  }

  /**
   * Calls {@code consumer} with (document, start line) for each non-empty document.
   *
   * @throws YamlSyntaxException at the first syntax error
   */
  public static void forEach(Reader reader, BiConsumer<Object, Long> consumer) {
    forEachDocument(reader, d -> consumer.accept(d.value(), (long) d.position().line()));
  }

  /**
   * A document and where it is: {@code position} answers the line of any node inside it, so a
   * report can point at {@code rules[3]} of a Role in its file.
   */
  public record Document(Object value, YamlPosition position) {}

  /**
   * Calls {@code consumer} with each non-empty document and its source positions.
   *
   * @throws YamlSyntaxException at the first syntax error
   */
  public static void forEachDocument(Reader reader, Consumer<Document> consumer) {
    forEachDocument(reader, consumer, null);
  }

  /**
   * Calls {@code consumer} with each non-empty document and its source positions, and {@code
   * duplicateKeys} (when not null) with each mapping key given twice (the last one is kept).
   *
   * @throws YamlSyntaxException at the first syntax error
   */
  public static void forEachDocument(
      Reader reader, Consumer<Document> consumer, Consumer<DuplicateKey> duplicateKeys) {
    LoaderOptions options = limits();
    PlainConstructor constructor = new PlainConstructor(options, duplicateKeys);
    // What SnakeYAML's Yaml front end does for composeAll, without it: building a Yaml also builds
    // its writing half (a Representer with its twenty representers, DumperOptions, PropertyUtils),
    // about 30 classes that reading never uses, on every can-i and diff.
    constructor.setAllowDuplicateKeys(options.isAllowDuplicateKeys());
    constructor.setWarnOnDuplicateKeys(options.isWarnOnDuplicateKeys());
    constructor.setWrappedToRootException(options.isWrappedToRootException());
    try {
      Composer composer =
          new Composer(new ParserImpl(new StreamReader(reader), options), new Resolver(), options);
      while (composer.checkNode()) {
        Node node = composer.getNode();
        if (node == null) {
          continue;
        }
        refuseBombs(node);
        Object document = constructor.construct(node);
        if (document != null) {
          consumer.accept(new Document(document, new YamlPosition(node)));
        }
      }
    } catch (MarkedYAMLException e) {
      long line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      throw new YamlSyntaxException("invalid YAML: " + oneLine(problem), line);
    } catch (YAMLException e) {
      if (e.getCause() instanceof CharacterCodingException) {
        throw new YamlSyntaxException("not UTF-8 text", 0);
      }
      throw new YamlSyntaxException("invalid YAML: " + oneLine(e.getMessage()), 0);
    }
  }

  /**
   * The first line of a parser's message, trimmed; parsers put a source excerpt on the following
   * lines.
   */
  /** A reader that fails on bytes that are not UTF-8 instead of replacing them. */
  public static Reader strictUtf8(InputStream in) {
    return new InputStreamReader(
        in,
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));
  }

  public static String oneLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return (nl >= 0 ? message.substring(0, nl) : message).trim();
  }

  static final long MAX_EXPANDED_NODES = 1_000_000;
  static final long MAX_ALIAS_GROWTH = 10;
  private static final long IN_PROGRESS = -1;

  /**
   * Aliases let a small document stand for a huge one ("billion laughs": nine levels of nine
   * aliases make 10^9 strings), which SnakeYAML builds as a shared graph but any later copy
   * expands. A document whose expansion passes {@link #MAX_EXPANDED_NODES} nodes and is more than
   * {@link #MAX_ALIAS_GROWTH} times its own size is refused, as is a collection that contains
   * itself.
   */
  static void refuseBombs(Node document) {
    IdentityHashMap<Node, Long> sizes = new IdentityHashMap<>();
    long expanded = expandedSize(document, sizes);
    if (expanded > MAX_EXPANDED_NODES && expanded / MAX_ALIAS_GROWTH > sizes.size()) {
      throw new YamlSyntaxException(
          "invalid YAML: aliases expand the document to more than "
              + MAX_EXPANDED_NODES
              + " nodes (a YAML bomb?)",
          (long) document.getStartMark().getLine() + 1);
    }
  }

  private static long expandedSize(Node node, IdentityHashMap<Node, Long> sizes) {
    Long known = sizes.get(node);
    if (known != null) {
      if (known == IN_PROGRESS) {
        throw new YamlSyntaxException(
            "invalid YAML: a collection contains itself through an alias",
            (long) node.getStartMark().getLine() + 1);
      }
      return known;
    }
    sizes.put(node, IN_PROGRESS);
    long size = 1;
    if (node instanceof SequenceNode seq) {
      for (Node child : seq.getValue()) {
        size = saturatedAdd(size, expandedSize(child, sizes));
      }
    } else if (node instanceof MappingNode map) {
      for (NodeTuple t : map.getValue()) {
        size =
            saturatedAdd(
                size,
                saturatedAdd(
                    expandedSize(t.getKeyNode(), sizes), expandedSize(t.getValueNode(), sizes)));
      }
    }
    sizes.put(node, size);
    return size;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }
}
