package dev.rbacsynth;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.rbacsynth.kube.LayeringFixture;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.select.SubjectSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The packages read bottom to top: a package may import the packages on the levels below its own,
 * never one above it nor another package on its own level, and no two packages form a cycle. Each
 * package's {@code package-info.java} says what it holds and what it imports.
 */
class LayeringTest {
  private static final String ROOT = "dev.rbacsynth";

  /**
   * Bottom to top. A new package gets a place here (the test fails until it has one). {@code
   * ledger} and {@code serve} belong on the level of {@code review} and {@code cani}; a use case
   * that builds on another one (say {@code serve} on {@code ledger}) takes a level of its own just
   * above it.
   */
  static final List<List<String>> LEVELS =
      List.of(
          List.of("event"),
          List.of("yaml"),
          List.of("kube"),
          List.of("read"),
          List.of("select"),
          List.of("attributes"),
          List.of("aggregate"),
          List.of("pipeline"),
          List.of("compact"),
          List.of("write"),
          List.of("authorize"),
          List.of("generate"),
          List.of("review", "cani", "ledger"),
          List.of("serve"),
          List.of("report"),
          List.of("cli"));

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(ROOT);

  @Test
  void everyPackageHasALevel() {
    List<String> placed = LEVELS.stream().flatMap(List::stream).toList();
    TreeSet<String> unplaced = new TreeSet<>();
    for (JavaClass c : MAIN) {
      String top = topPackage(c);
      if (!placed.contains(top)) {
        unplaced.add(top.isEmpty() ? "(the root package)" : top);
      }
    }
    assertThat(unplaced).as("packages without a level in LayeringTest.LEVELS").isEmpty();
    assertThat(MAIN.stream().map(LayeringTest::topPackage).distinct())
        .as("every level names a package that exists (or is about to)")
        .isNotEmpty();
  }

  @Test
  void noPackageImportsUpwardOrSideways() {
    for (ArchRule rule : levelRules()) {
      rule.check(MAIN);
    }
  }

  @Test
  void noCycles() {
    cycles().check(MAIN);
  }

  /** The rules are not vacuous: a class in kube that uses select breaks both. */
  @Test
  void anUpwardImportAndTheCycleItMakesAreCaught() {
    JavaClasses bad =
        new ClassFileImporter()
            .importClasses(LayeringFixture.class, SubjectSelector.class, Subject.class);
    List<String> violations = new ArrayList<>();
    for (ArchRule rule : levelRules()) {
      EvaluationResult result = rule.evaluate(bad);
      violations.addAll(result.getFailureReport().getDetails());
    }
    assertThat(violations)
        .anySatisfy(v -> assertThat(v).contains("LayeringFixture").contains("SubjectSelector"));
    assertThat(cycles().evaluate(bad).hasViolation()).isTrue();
    assertThat(cycles().evaluate(MAIN).hasViolation()).isFalse();
  }

  private static ArchRule cycles() {
    return slices().matching(ROOT + ".(*)..").should().beFreeOfCycles();
  }

  private static List<ArchRule> levelRules() {
    List<ArchRule> rules = new ArrayList<>();
    for (int level = 0; level < LEVELS.size(); level++) {
      for (String pkg : LEVELS.get(level)) {
        List<String> forbidden = new ArrayList<>();
        for (int other = level; other < LEVELS.size(); other++) {
          for (String p : LEVELS.get(other)) {
            if (!p.equals(pkg)) {
              forbidden.add(ROOT + "." + p + "..");
            }
          }
        }
        if (forbidden.isEmpty()) {
          continue;
        }
        rules.add(
            noClasses()
                .that()
                .resideInAPackage(ROOT + "." + pkg + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(forbidden.toArray(String[]::new))
                .because(
                    pkg
                        + " may only import the packages below its level in"
                        + " LayeringTest.LEVELS")
                // a level may name a package before its first class lands
                .allowEmptyShould(true));
      }
    }
    return rules;
  }

  private static String topPackage(JavaClass c) {
    String name = c.getPackageName();
    if (name.equals(ROOT)) {
      return "";
    }
    String rest = name.substring(ROOT.length() + 1);
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }
}
