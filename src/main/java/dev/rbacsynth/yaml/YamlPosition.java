package dev.rbacsynth.yaml;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Where a YAML node starts in its source (1-based line), and the positions of its children: {@code
 * position.get("rules").item(3).line()} is the line of a role's fourth rule. A child that does not
 * exist has the position of its parent, so a report always has a line to point at.
 */
public final class YamlPosition {
  private final Node node;

  YamlPosition(Node node) {
    this.node = node;
  }

  /** 1-based line of the node's first character (for a sequence item, the item, not its dash). */
  public int line() {
    return node.getStartMark().getLine() + 1;
  }

  /** The value of {@code key} in a mapping; this position when there is no such key. */
  public YamlPosition get(String key) {
    if (node instanceof MappingNode map) {
      for (NodeTuple t : map.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
          return new YamlPosition(t.getValueNode());
        }
      }
    }
    return this;
  }

  /** Item {@code index} of a sequence; this position when there is no such item. */
  public YamlPosition item(int index) {
    if (node instanceof SequenceNode seq && index >= 0 && index < seq.getValue().size()) {
      return new YamlPosition(seq.getValue().get(index));
    }
    return this;
  }

  /** Items of a sequence (0 for anything else). */
  public int size() {
    return node instanceof SequenceNode seq ? seq.getValue().size() : 0;
  }
}
