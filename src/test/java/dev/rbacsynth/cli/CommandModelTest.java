package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The model the build generates (CommandModels, from src/build/CommandModelGenerator.java) against
 * the one picocli builds by reflection over the annotations, for every command: every attribute of
 * every option, positional parameter, group and mixin, the command's attributes and usage sections,
 * the --help texts, and what a parsed command line sets. An annotation changed without the build
 * regenerating the model fails here.
 */
class CommandModelTest {

  private static final String[] SUBCOMMANDS = {
    "generate", "diff", "subjects", "can-i", "serve", "collect"
  };

  private static CommandLine reflective() {
    return new CommandLine(new RbacSynth());
  }

  private static CommandLine reflective(String name) {
    // the command alone, named as the start-up path names it
    Object command = reflective().getSubcommands().get(name).getCommand();
    try {
      CommandLine cli = new CommandLine(command.getClass().getDeclaredConstructor().newInstance());
      cli.setCommandName("rbac-synth " + name);
      return cli;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(name, e);
    }
  }

  @Test
  void theGeneratedTreeHasEveryCommandOfTheAnnotations() {
    assertThat(CommandModels.get().root().getSubcommands().keySet())
        .containsExactlyElementsOf(reflective().getSubcommands().keySet());
    for (String name : SUBCOMMANDS) {
      assertThat(CommandModels.get().subcommand(name)).as(name).isNotNull();
    }
    assertThat(reflective().getSubcommands().keySet())
        .containsExactlyInAnyOrder(
            Stream.concat(Stream.of("help"), Arrays.stream(SUBCOMMANDS)).toArray(String[]::new));
    assertThat(CommandModels.get().subcommand("help")).isNull();
    assertThat(CommandModels.get().subcommand("rbac-synth")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"generate", "diff", "subjects", "can-i", "serve", "collect"})
  void eachCommandAloneIsTheReflectiveModel(String name) {
    CommandLine generated = RbacSynth.commandLine(new String[] {name});
    sameLines(describe(generated.getCommandSpec()), describe(reflective(name).getCommandSpec()));
  }

  @Test
  void theWholeTreeIsTheReflectiveModel() {
    CommandLine generated = CommandModels.get().root();
    sameLines(describe(generated.getCommandSpec()), describe(reflective().getCommandSpec()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"generate", "diff", "subjects", "can-i", "serve", "collect"})
  void helpIsByteIdentical(String name) {
    String generated = RbacSynth.commandLine(new String[] {name}).getUsageMessage(Ansi.OFF);
    assertThat(generated).isEqualTo(reflective(name).getUsageMessage(Ansi.OFF));
    // the same through the tree (rbac-synth help NAME) and with colours
    assertThat(CommandModels.get().root().getSubcommands().get(name).getUsageMessage(Ansi.ON))
        .isEqualTo(reflective().getSubcommands().get(name).getUsageMessage(Ansi.ON));
  }

  @Test
  void topLevelHelpIsByteIdentical() {
    assertThat(CommandModels.get().root().getUsageMessage(Ansi.OFF))
        .isEqualTo(reflective().getUsageMessage(Ansi.OFF));
    assertThat(CommandModels.get().root().getUsageMessage(Ansi.ON))
        .isEqualTo(reflective().getUsageMessage(Ansi.ON));
  }

  /** A command line per command that sets most of its options, and one that sets few. */
  static Stream<Arguments> commandLines() {
    return Stream.of(
        Arguments.of(
            "generate",
            List.of(
                "-f",
                "a.log",
                "-f",
                "b.log",
                "--usage",
                "u.json",
                "--since",
                "30d",
                "--strict",
                "--serviceaccount",
                "shop:web",
                "-n",
                "shop",
                "--expand-multi-namespace=false",
                "--expand-multi-name",
                "--exact",
                "--generate-labels",
                "a=b,c=d",
                "-o",
                "json",
                "--min-window",
                "30d",
                "--denied-report",
                "d.md",
                "--output-file",
                "o.yaml")),
        Arguments.of("generate", List.of("-f", "a.log", "--all-subjects", "--output-dir", "x")),
        Arguments.of(
            "diff",
            List.of(
                "--rbac",
                "r/",
                "--rbac",
                "s.yaml",
                "--defaults=false",
                "--map-subject",
                "a:b=c:d",
                "-f",
                "a.log",
                "--user",
                "alice",
                "--fail-on",
                "unused,risky:wildcard",
                "--report",
                "markdown=r.md",
                "--min-window",
                "1d")),
        Arguments.of("diff", List.of("--rbac", "r/", "--usage", "u.json", "--group", "dev")),
        Arguments.of("subjects", List.of("-f", "a.log", "-n", "shop", "-q")),
        Arguments.of(
            "can-i",
            List.of(
                "--rbac",
                "r/",
                "--as",
                "alice",
                "--as-group",
                "dev",
                "--as-group",
                "ops",
                "-n",
                "shop",
                "-v",
                "patch",
                "deployments.apps/scale",
                "web")),
        Arguments.of("can-i", List.of("--rbac", "r/", "--as", "bob", "--list", "-A")),
        Arguments.of(
            "serve",
            List.of("--state-dir", "s", "--tls-cert-file", "c", "--tls-private-key-file", "k")),
        Arguments.of(
            "collect",
            List.of("-f", "a.log", "--user", "alice", "--cluster", "prod", "--output-file", "u")),
        Arguments.of("collect", List.of("-f", "a.log", "--output-file", "u")));
  }

  @ParameterizedTest
  @MethodSource("commandLines")
  void aParsedCommandLineSetsTheSameValues(String name, List<String> args) {
    CommandLine generated = RbacSynth.commandLine(new String[] {name});
    CommandLine reflective = reflective(name);
    generated.parseArgs(args.toArray(String[]::new));
    reflective.parseArgs(args.toArray(String[]::new));
    sameLines(values(generated.getCommandSpec()), values(reflective.getCommandSpec()));
  }

  @Test
  void theCommandObjectGetsTheValuesAndItsGroupObject() {
    CommandLine cli = RbacSynth.commandLine(new String[] {"generate"});
    cli.parseArgs("-f", "a.log", "--user", "alice", "--expand-multi-name=false", "-o", "json");
    GenerateCommand command = cli.getCommand();
    assertThat(command.input.files).containsExactly("a.log");
    assertThat(command.subjectOptions.user).isEqualTo("alice");
    assertThat(command.expandMultiName).isFalse();
    assertThat(command.expandMultiNamespace).isTrue();
    assertThat(command.output).isEqualTo(GenerateCommand.Output.json);
    assertThat(command.minWindow.minimum).hasDays(7);
    assertThat(command.spec).isSameAs(cli.getCommandSpec());
    CanICommand canI = RbacSynth.commandLine(new String[] {"can-i"}).getCommand();
    assertThat(canI.rbac.spec).isSameAs(canI.spec); // @Spec(MIXEE)
  }

  /**
   * A small run and a command's help, in a JVM of their own, read no annotation for picocli: no
   * member model of picocli's reflection, no annotation proxy class (can-i takes the same path; the
   * top-level help still reads picocli's own help command).
   */
  @Test
  void smallRunsReadNoAnnotations() throws Exception {
    String[] reflection = {"picocli.CommandLine$Model$TypedMember ", "$Proxy", "jdk.proxy"};
    assertThat(LauncherTest.loadedClasses("generate", "-f", "testdata/demo.log", "--user", "alice"))
        .contains("dev.rbacsynth.cli.GeneratedCommandModels ")
        .doesNotContain(reflection);
    assertThat(LauncherTest.loadedClasses("diff", "--help")).doesNotContain(reflection);
  }

  @Test
  void aChangedAnnotationWouldBeSeen() {
    // what the comparison sees when the generated model is stale: one description changed
    CommandSpec stale = RbacSynth.commandLine(new String[] {"can-i"}).getCommandSpec();
    OptionSpec verbose = stale.findOption("--verbose");
    stale.remove(verbose);
    stale.addOption(verbose.toBuilder().description("Something else.").build());
    assertThat(describe(stale))
        .isNotEqualTo(describe(reflective("can-i").getCommandSpec()))
        .contains("option [-v, --verbose] description=[Something else.]");
  }

  /** The same lines in the same order; on failure, the lines that differ. */
  private static void sameLines(List<String> generated, List<String> reflective) {
    List<String> onlyGenerated = new ArrayList<>(generated);
    onlyGenerated.removeAll(reflective);
    List<String> onlyReflective = new ArrayList<>(reflective);
    onlyReflective.removeAll(generated);
    assertThat(onlyGenerated).as("only in the generated model").isEmpty();
    assertThat(onlyReflective).as("only in the reflective model").isEmpty();
    assertThat(generated).as("order").containsExactlyElementsOf(reflective);
  }

  /** Every attribute of a command as lines, raw (variables not expanded), subcommands included. */
  static List<String> describe(CommandSpec spec) {
    List<String> out = new ArrayList<>();
    describe(spec, out); // turns variable expansion off in the model: a model to throw away
    return out;
  }

  private static void describe(CommandSpec spec, List<String> out) {
    String c = "command " + spec.qualifiedName() + " ";
    spec.interpolateVariables(false);
    out.add(c + "userObject=" + type(spec.userObject()));
    out.add(c + "aliases=" + Arrays.toString(spec.aliases()));
    out.add(c + "version=" + Arrays.toString(spec.version()));
    out.add(c + "versionProvider=" + type(spec.versionProvider()));
    out.add(c + "defaultValueProvider=" + type(spec.defaultValueProvider()));
    out.add(c + "helpCommand=" + spec.helpCommand());
    out.add(
        c
            + "exitCodes="
            + List.of(
                spec.exitCodeOnSuccess(),
                spec.exitCodeOnUsageHelp(),
                spec.exitCodeOnVersionHelp(),
                spec.exitCodeOnInvalidInput(),
                spec.exitCodeOnExecutionException()));
    out.add(c + "scopeType=" + spec.scopeType() + " inherited=" + spec.inherited());
    out.add(c + "subcommandsRepeatable=" + spec.subcommandsRepeatable());
    out.add(c + "mixinStandardHelpOptions=" + spec.mixinStandardHelpOptions());
    out.add(c + "preprocessor=" + type(spec.preprocessor()));
    out.add(c + "separator=" + spec.parser().separator());
    out.add(c + "resourceBundle=" + spec.resourceBundleBaseName());
    for (Map.Entry<String, CommandSpec> m : spec.mixins().entrySet()) {
      CommandSpec mixin = m.getValue();
      out.add(
          c
              + "mixin "
              + m.getKey()
              + " "
              + (m.getKey().equals("mixinStandardHelpOptions")
                  ? "(picocli's)"
                  : type(mixin.userObject()))
              + " args="
              + names(mixin.args()));
    }
    usage(c, spec.usageMessage(), out);
    for (OptionSpec o : spec.options()) {
      arg(o, out);
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      arg(p, out);
    }
    for (ArgGroupSpec g : spec.argGroups()) {
      group(c, g, out);
    }
    out.add(c + "args=" + names(spec.args())); // the order picocli adds them in
    out.add(c + "requiredArgs=" + names(spec.requiredArgs()));
    out.add(c + "subcommands=" + spec.subcommands().keySet());
    for (CommandLine sub : spec.subcommands().values()) {
      describe(sub.getCommandSpec(), out);
    }
  }

  /** Every usage-message attribute with a plain value (the ones @Command sets). */
  private static void usage(String c, UsageMessageSpec u, List<String> out) {
    List<Method> getters = new ArrayList<>();
    for (Method m : UsageMessageSpec.class.getMethods()) {
      Class<?> t = m.getReturnType();
      if (m.getParameterCount() == 0
          && m.getDeclaringClass() == UsageMessageSpec.class
          && !Modifier.isStatic(m.getModifiers())
          && (t == String.class
              || t == String[].class
              || t == boolean.class
              || t == int.class
              || t == double.class
              || t == char.class
              || (t == Map.class && m.getName().equals("exitCodeList")))) {
        getters.add(m);
      }
    }
    getters.sort((a, b) -> a.getName().compareTo(b.getName()));
    for (Method m : getters) {
      Object value;
      try {
        value = m.invoke(u);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(m.getName(), e);
      }
      out.add(
          c
              + "usage "
              + m.getName()
              + "="
              + (value instanceof String[] a ? Arrays.toString(a) : String.valueOf(value)));
    }
  }

  private static void arg(ArgSpec a, List<String> out) {
    String p =
        a instanceof OptionSpec o
            ? "option " + Arrays.toString(o.names()) + " "
            : "positional " + ((PositionalParamSpec) a).index() + " ";
    out.add(p + "description=" + Arrays.toString(a.description()));
    out.add(p + "descriptionKey=" + a.descriptionKey());
    out.add(p + "arity=" + a.arity() + " unspecified=" + a.arity().isUnspecified());
    out.add(p + "required=" + a.required() + " originallyRequired=" + a.originallyRequired());
    out.add(p + "paramLabel=" + a.paramLabel() + " hideParamSyntax=" + a.hideParamSyntax());
    out.add(p + "type=" + a.type().getName() + " aux=" + names(a.auxiliaryTypes()));
    out.add(
        p
            + "typeInfo="
            + a.typeInfo().getClassName()
            + " multi="
            + a.typeInfo().isMultiValue()
            + " collection="
            + a.typeInfo().isCollection()
            + " enum="
            + a.typeInfo().isEnum()
            + " boolean="
            + a.typeInfo().isBoolean()
            + " optional="
            + a.typeInfo().isOptional());
    out.add(p + "split=" + a.splitRegex() + " splitLabel=" + a.splitRegexSynopsisLabel());
    out.add(p + "hidden=" + a.hidden() + " interactive=" + a.interactive() + " echo=" + a.echo());
    out.add(p + "prompt=" + a.prompt());
    out.add(p + "defaultValue=" + a.defaultValue() + " show=" + a.showDefaultValue());
    out.add(p + "mapFallbackValue=" + a.mapFallbackValue());
    out.add(p + "converters=" + names(a.converters()));
    out.add(
        p
            + "completionCandidates="
            + (a.completionCandidates() == null
                ? "null"
                : StreamSupport.stream(a.completionCandidates().spliterator(), false).toList()));
    out.add(p + "parameterConsumer=" + type(a.parameterConsumer()));
    out.add(p + "preprocessor=" + type(a.preprocessor()));
    out.add(p + "scopeType=" + a.scopeType() + " inherited=" + a.inherited());
    out.add(p + "toString=" + a);
    out.add(p + "group=" + (a.group() == null ? "none" : a.group().synopsis()));
    if (a.group() == null) {
      // a group's object, and so its options' initial values, exist once picocli creates it
      out.add(p + "initialValue=" + a.hasInitialValue() + " " + a.initialValue());
    }
    if (a instanceof OptionSpec o) {
      out.add(
          p
              + "usageHelp="
              + o.usageHelp()
              + " versionHelp="
              + o.versionHelp()
              + " help="
              + o.help()
              + " negatable="
              + o.negatable()
              + " order="
              + o.order());
      out.add(p + "fallbackValue=" + o.fallbackValue());
    }
  }

  private static void group(String c, ArgGroupSpec g, List<String> out) {
    String p = c + "group " + g.synopsis() + " ";
    out.add(
        p
            + "exclusive="
            + g.exclusive()
            + " multiplicity="
            + g.multiplicity()
            + " validate="
            + g.validate()
            + " order="
            + g.order());
    out.add(p + "heading=" + g.heading() + " headingKey=" + g.headingKey());
    out.add(
        p
            + "type="
            + g.typeInfo().getClassName()
            + " aux="
            + names(g.typeInfo().getAuxiliaryTypes()));
    out.add(p + "args=" + names(g.args()));
    for (ArgGroupSpec sub : g.subgroups()) {
      group(p, sub, out);
    }
  }

  /** The value of every option and positional parameter after parsing, by name. */
  private static List<String> values(CommandSpec spec) {
    List<String> out = new ArrayList<>();
    for (ArgSpec a : spec.args()) {
      out.add(
          (a instanceof OptionSpec o ? o.longestName() : a.paramLabel())
              + "="
              + (a.isValueGettable() ? String.valueOf((Object) a.getValue()) : "(no object)")
              + " matched="
              + a.originalStringValues());
    }
    return out;
  }

  private static String type(Object o) {
    return o == null ? "null" : o.getClass().getName();
  }

  private static List<String> names(Object[] objects) {
    List<String> out = new ArrayList<>();
    for (Object o : objects) {
      out.add(o instanceof Class<?> k ? k.getName() : type(o));
    }
    return out;
  }

  private static List<String> names(Iterable<? extends ArgSpec> args) {
    List<String> out = new ArrayList<>();
    for (ArgSpec a : args) {
      out.add(a instanceof OptionSpec o ? o.longestName() : a.paramLabel());
    }
    return out;
  }
}
