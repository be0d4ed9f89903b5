package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command's --help as a user sees it (picocli's default width, 80 columns): the examples can
 * be copied into a shell as they are, and the exit codes are the command's own.
 */
class HelpTextTest {

  private static final String[] COMMANDS = {
    "", "generate", "diff", "subjects", "can-i", "serve", "collect"
  };

  private static String help(String command) {
    Cli.Result r = command.isEmpty() ? Cli.run("--help") : Cli.run(command, "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    return r.out();
  }

  /** The footer as written in the annotation, one element per line (%n splits an element). */
  private static List<String> footerLines(String command) {
    CommandLine cli =
        command.isEmpty()
            ? new CommandLine(new RbacSynth())
            : RbacSynth.commandLine(new String[] {command});
    CommandSpec spec = cli.getCommandSpec();
    List<String> lines = new ArrayList<>();
    for (String element : spec.usageMessage().footer()) {
      lines.addAll(Arrays.asList(String.format(element).split("\n", -1)));
    }
    return lines;
  }

  /** The lines of a section: from its heading to the next blank line. */
  private static List<String> section(List<String> lines, String heading) {
    int start = lines.indexOf(heading);
    assertThat(start).as(heading).isNotNegative();
    List<String> out = new ArrayList<>();
    for (int i = start + 1; i < lines.size() && !lines.get(i).isBlank(); i++) {
      out.add(lines.get(i));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "generate", "diff", "subjects", "can-i", "serve", "collect"})
  void everyExampleIsOneRenderedLineAndContinuationsAreMarked(String command) {
    List<String> rendered = help(command).lines().toList();
    List<String> written = section(footerLines(command), "Examples:");
    assertThat(written).as("examples of %s", command).hasSizeGreaterThanOrEqualTo(3);
    // picocli wraps a footer line longer than the width at column 0: the rendered section must be
    // the written one, line for line.
    assertThat(section(rendered, "Examples:")).isEqualTo(written);
    for (int i = 0; i < written.size(); i++) {
      String line = written.get(i);
      assertThat(line).as("%s: %s", command, line).startsWith("  ").doesNotEndWith(" ");
      assertThat(line.length()).as("%s: %s", command, line).isLessThan(80);
      boolean continued = i > 0 && written.get(i - 1).endsWith(" \\");
      if (continued) {
        // a continuation line is indented deeper than a command line
        assertThat(line).as("%s: %s", command, line).startsWith("    ");
      } else {
        // a new command (or a shell comment saying what the next one does)
        assertThat(line)
            .as("%s: %s", command, line)
            .matches("  (rbac-synth |zcat |kubectl |curl |# ).*");
      }
    }
    assertThat(written.get(written.size() - 1)).doesNotEndWith("\\");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "generate", "diff", "subjects", "can-i", "serve", "collect"})
  void exitCodesAreRenderedUnwrapped(String command) {
    List<String> rendered = help(command).lines().toList();
    List<String> written = section(footerLines(command), "Exit codes:");
    assertThat(section(rendered, "Exit codes:")).isEqualTo(written);
    assertThat(written).allSatisfy(l -> assertThat(l).startsWith("  ").hasSizeLessThan(80));
    assertThat(written.get(0)).startsWith("  0  ");
    // the top level ends with the closed-pipe code, which every command shares
    assertThat(written.get(written.size() - 1))
        .startsWith(command.isEmpty() ? "  141  standard output closed" : "  4  internal error");
  }

  @ParameterizedTest
  @ValueSource(strings = {"generate", "subjects", "serve", "collect"})
  void onlyDiffCanIAndTheTopLevelTalkAboutFindingsAndAnswers(String command) {
    String codes = String.join("\n", section(help(command).lines().toList(), "Exit codes:"));
    assertThat(codes).doesNotContain("can-i").doesNotContain("diff").doesNotContain("--fail-on");
  }

  @Test
  void eachCommandListsTheCodesItReturns() {
    assertThat(codes("generate")).containsExactly("0", "1", "2", "3", "4");
    assertThat(codes("diff")).containsExactly("0", "1", "2", "3", "4");
    assertThat(codes("subjects")).containsExactly("0", "2", "3", "4");
    assertThat(codes("can-i")).containsExactly("0", "1", "2", "4");
    assertThat(codes("collect")).containsExactly("0", "2", "4");
    assertThat(codes("serve")).containsExactly("0", "2", "4");
    assertThat(codes("")).containsExactly("0", "1", "2", "3", "4");
  }

  private static List<String> codes(String command) {
    return section(help(command).lines().toList(), "Exit codes:").stream()
        .filter(l -> l.matches("  \\d  .*"))
        .map(l -> l.substring(2, 3))
        .toList();
  }

  @Test
  void theTopLevelSummaryOfEveryCommandIsAWholeSentence() {
    List<String> lines = help("").lines().toList();
    int start = lines.indexOf("Commands:");
    // each command's summary ends its last line with a full stop
    for (String command : Arrays.copyOfRange(COMMANDS, 1, COMMANDS.length)) {
      int at = -1;
      for (int i = start; i < lines.size(); i++) {
        if (lines.get(i).startsWith("  " + command + " ")) {
          at = i;
          break;
        }
      }
      assertThat(at).as(command).isPositive();
      int end = at;
      while (lines.get(end + 1).startsWith("              ")) {
        end++;
      }
      assertThat(lines.get(end)).as(command).endsWith(".");
    }
  }

  @Test
  void collectsSubjectOptionsSayItRecordsAndBindsNothing() {
    String collect = help("collect");
    assertThat(collect)
        .contains("Record only this username's requests")
        .contains("Record only the requests made by members of this")
        .doesNotContainPattern("\\bbind")
        .doesNotContain("every member gets the rights");
    assertThat(help("generate")).contains("Group is bound, so every member gets the rights");
  }

  @Test
  void diffsSubjectOptionsSayItReviewsAndBindsNothing() {
    String diff = help("diff");
    assertThat(diff)
        .contains("Review this username")
        .contains("Review this service account")
        .contains("Review the bindings that name this group")
        .doesNotContain("select requests for and bind")
        .doesNotContain("select and bind")
        .doesNotContain("every member gets the rights");
    assertThat(help("generate")).contains("Username to select requests for and bind");
  }
}
