package dev.rbacsynth.read;

import java.io.Reader;
import java.util.Iterator;
import java.util.function.BiConsumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a multi-document YAML stream safely: alias expansion, nesting depth and document size are limited (no
 * "billion laughs"), timestamps stay strings, and each document comes with the line it starts on.
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

  private static final class PlainConstructor extends SafeConstructor {
    PlainConstructor(LoaderOptions options) {
      super(options);
      this.yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
      this.yamlConstructors.put(Tag.BINARY, new ConstructYamlStr());
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
    LoaderOptions options = limits();
    PlainConstructor constructor = new PlainConstructor(options);
    Yaml yaml = new Yaml(constructor);
    try {
      Iterator<Node> nodes = yaml.composeAll(reader).iterator();
      while (nodes.hasNext()) {
        Node node = nodes.next();
        if (node == null) {
          continue;
        }
        Object document = constructor.construct(node);
        if (document != null) {
          consumer.accept(document, (long) node.getStartMark().getLine() + 1);
        }
      }
    } catch (MarkedYAMLException e) {
      long line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      throw new YamlSyntaxException("invalid YAML: " + oneLine(problem), line);
    } catch (YAMLException e) {
      throw new YamlSyntaxException("invalid YAML: " + oneLine(e.getMessage()), 0);
    }
  }

  /** The first line of a parser's message, trimmed; parsers put a source excerpt on the following lines. */
  public static String oneLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return (nl >= 0 ? message.substring(0, nl) : message).trim();
  }
}
