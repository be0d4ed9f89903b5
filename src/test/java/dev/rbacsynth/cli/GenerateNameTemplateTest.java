package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Cli;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --generate-name} with {@code ${namespace}} and {@code ${name}} (issue 14, section 8) on
 * the real audit2rbac demo log, and the warning when the name had to be rewritten.
 */
class GenerateNameTemplateTest {
  private static final String DEMO = "testdata/demo.log";

  @SuppressWarnings("unchecked")
  private static List<String> names(Cli.Result r) {
    return r.documents().stream()
        .map(d -> (String) ((Map<String, Object>) d.get("metadata")).get("name"))
        .distinct()
        .toList();
  }

  @Test
  void aServiceAccountsNamespaceAndNameFillTheTemplate() {
    Cli.Result r =
        Cli.run(
            "generate",
            "-f",
            DEMO,
            "--serviceaccount",
            "ns1:sa1",
            "--generate-name",
            "${namespace}-${name}-observed",
            "--generate-annotations",
            "team/owner=${namespace}/${name}",
            "--generate-labels",
            "app=${name}",
            "-q",
            "--min-window=0s");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(names(r)).containsExactly("ns1-sa1-observed");
    assertThat(r.documents().get(0))
        .extracting("metadata")
        .extracting("annotations", "labels")
        .containsExactly(Map.of("team/owner", "ns1/sa1"), Map.of("app", "sa1"));
  }

  @Test
  void aRewrittenOrEmptyNameIsWarnedAbout() {
    Cli.Result rewritten =
        Cli.run(
            "generate",
            "-f",
            DEMO,
            "--serviceaccount",
            "ns1:sa1",
            "--generate-name",
            "Observed_${name}@${namespace}",
            "-q",
            "--min-window=0s");
    assertThat(rewritten.exit()).isZero();
    assertThat(names(rewritten)).containsExactly("observed-sa1-ns1");
    assertThat(rewritten.err())
        .isEqualTo(
            "warning: --generate-name: \"Observed_sa1@ns1\" is not a valid object name; the objects"
                + " are named \"observed-sa1-ns1\" (lowercase letters, digits, '.', ':' and '-', at"
                + " most 253 characters)\n");
    Cli.Result user =
        Cli.run(
            "generate",
            "-f",
            DEMO,
            "--user",
            "alice",
            "--generate-name",
            "rbac-synth:${namespace}:${name}",
            "-q",
            "--min-window=0s");
    assertThat(user.exit()).isZero();
    assertThat(names(user)).containsExactly("rbac-synth::alice");
    assertThat(user.err())
        .isEqualTo(
            "warning: --generate-name: ${namespace} is empty for user alice (only a service account"
                + " has a namespace)\n");
    // the default name needs no rewrite and says nothing
    assertThat(Cli.run("generate", "-f", DEMO, "--user", "alice", "-q", "--min-window=0s").err())
        .isEmpty();
  }

  @Test
  void aNameInTheWrongCaseGetsOnlyTheDidYouMean() {
    // "rbac-synth:Alice" would be rewritten to lowercase, but no objects are written at all
    Cli.Result r = Cli.generate(DEMO, "Alice", "--min-window=0s");
    assertThat(r.exit()).isEqualTo(ExitCodes.NO_MATCH);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo("No audit events matched user Alice; did you mean --user alice?\n");
    // with events, the warning still comes
    Cli.Result matched =
        Cli.generate(DEMO, "alice", "--generate-name", "Observed_${name}", "-q", "--min-window=0s");
    assertThat(matched.exit()).isZero();
    assertThat(matched.err())
        .startsWith("warning: --generate-name: \"Observed_alice\" is not a valid object name");
  }
}
