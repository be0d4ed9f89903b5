package dev.rbacsynth.cli;

import dev.rbacsynth.yaml.YamlDocuments;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The files an earlier {@code generate --all-subjects} wrote to an {@code --output-dir} that this
 * run no longer writes (a subject gone from the log, or now covered by the default grants). The
 * directory holds one run's output, as its {@code kustomization.yaml} lists it: such a file would
 * still be applied by {@code kubectl apply -f DIR} and keep a grant nobody needs, so it is removed.
 * Only rbac-synth's own files are: a file is removed when the {@code kustomization.yaml} that
 * rbac-synth wrote there lists it, its name is one rbac-synth gives ({@code user-*.yaml}, {@code
 * serviceaccount-*.yaml}, or {@code .json}), and it holds RBAC objects and nothing else. A file
 * with such a name that fails a test is left alone and named in a warning.
 */
final class StaleOutputFiles {

  /** The names {@link AllSubjects#fileNames} gives. */
  static final Pattern NAME = Pattern.compile("(user|serviceaccount)-[a-z0-9.-]+\\.(yaml|json)");

  private static final Set<String> RBAC_KINDS =
      Set.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding");
  private static final String RBAC_API = "rbac.authorization.k8s.io/v1";

  /** Removed: the files deleted; left: stale-looking files that are not recognisably ours. */
  record Outcome(List<String> removed, List<String> left) {}

  private final Path dir;
  private final Set<String> listed;

  private StaleOutputFiles(Path dir, Set<String> listed) {
    this.dir = dir;
    this.listed = listed;
  }

  /**
   * Reads what the directory's {@code kustomization.yaml} lists, if rbac-synth wrote it: call
   * before this run overwrites it.
   */
  static StaleOutputFiles before(Path dir) {
    return new StaleOutputFiles(dir, listedBy(dir.resolve("kustomization.yaml")));
  }

  /** Removes the earlier run's files that this run did not write ({@code written}). */
  Outcome removeAllBut(Set<String> written) {
    List<String> removed = new ArrayList<>();
    List<String> left = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return new Outcome(removed, left);
    }
    Set<String> candidates = new TreeSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (NAME.matcher(name).matches() && !written.contains(name) && Files.isRegularFile(f)) {
          candidates.add(name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
    }
    for (String name : candidates) {
      Path f = dir.resolve(name);
      if (listed.contains(name) && onlyRbac(f)) {
        try {
          Files.delete(f);
          removed.add(name);
        } catch (IOException e) {
          left.add(name);
        }
      } else {
        left.add(name);
      }
    }
    return new Outcome(removed, left);
  }

  /**
   * The resources of a kustomization.yaml as rbac-synth writes it (apiVersion, kind and resources,
   * nothing else); empty for any other file, or none.
   */
  private static Set<String> listedBy(Path kustomization) {
    if (!Files.isRegularFile(kustomization)) {
      return Set.of();
    }
    List<Object> documents = documents(kustomization);
    if (documents.size() != 1
        || !(documents.get(0) instanceof Map<?, ?> k)
        || !k.keySet().equals(Set.of("apiVersion", "kind", "resources"))
        || !"Kustomization".equals(k.get("kind"))
        || !(k.get("resources") instanceof List<?> resources)) {
      return Set.of();
    }
    Set<String> out = new TreeSet<>();
    for (Object r : resources) {
      if (r instanceof String s) {
        out.add(s);
      }
    }
    return out;
  }

  /** Every object of the file (documents, or the items of a JSON List) is an RBAC object. */
  private static boolean onlyRbac(Path file) {
    List<Object> documents = documents(file);
    List<Object> objects = new ArrayList<>();
    for (Object d : documents) {
      if (d instanceof Map<?, ?> m
          && "List".equals(m.get("kind"))
          && m.get("items") instanceof List<?> items) {
        objects.addAll(items);
      } else {
        objects.add(d);
      }
    }
    return !objects.isEmpty()
        && objects.stream()
            .allMatch(
                o ->
                    o instanceof Map<?, ?> m
                        && RBAC_API.equals(m.get("apiVersion"))
                        && RBAC_KINDS.contains(m.get("kind")));
  }

  /** The file's YAML (or JSON) documents; none when it cannot be read or parsed. */
  private static List<Object> documents(Path file) {
    List<Object> out = new ArrayList<>();
    try (Reader r = YamlDocuments.strictUtf8(Files.newInputStream(file))) {
      YamlDocuments.forEach(r, (document, line) -> out.add(document));
    } catch (IOException | YamlDocuments.YamlSyntaxException e) {
      return List.of();
    }
    return out;
  }
}
