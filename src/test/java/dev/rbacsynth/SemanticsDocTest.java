package dev.rbacsynth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Code cites the repository's own account of the semantics, {@code src/docs/semantics.md}, by
 * section, and every section it cites exists there.
 */
class SemanticsDocTest {
  private static final Path DOC = Path.of("src/docs/semantics.md");
  private static final Pattern CITATION = Pattern.compile("semantics\\.md §(\\d+(?:\\.\\d+)?)");

  private static List<Path> sources() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String root : List.of("src/main", "src/test")) {
      try (Stream<Path> files = Files.walk(Path.of(root))) {
        files
            .filter(Files::isRegularFile)
            .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".yaml"))
            .forEach(out::add);
      }
    }
    return out;
  }

  @Test
  void everyCitedSectionExists() throws IOException {
    String doc = Files.readString(DOC);
    List<String> cited = new ArrayList<>();
    for (Path file : sources()) {
      Matcher m = CITATION.matcher(Files.readString(file));
      while (m.find()) {
        String section = m.group(1);
        cited.add(section);
        assertThat(doc)
            .as(file + " cites §" + section)
            .containsPattern(
                "(## §" + Pattern.quote(section) + " |\\*\\*§" + Pattern.quote(section) + " )");
      }
    }
    assertThat(cited).hasSizeGreaterThan(10);
  }

  @Test
  void nothingCitesADocumentOutsideTheRepository() throws IOException {
    for (Path file : sources()) {
      if (!file.endsWith("SemanticsDocTest.java")) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain("rbac-semantics");
      }
    }
  }
}
