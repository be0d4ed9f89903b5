import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Range;

/**
 * Build step (run by the pom after the main classes are compiled, as a single-file source program
 * with the compiled classes and picocli on its class path; not part of the product): writes the
 * Java source of a class that builds picocli's model of every command through picocli's
 * programmatic API, so that a run does not build it by reflection over the annotations (parsing
 * them and spinning a proxy class per annotation type costs a small run about 40 ms; dynamic
 * proxies cannot go in Java 17's class-data archive).
 *
 * <p>The annotations stay the one source of truth: this program asks picocli for the model it
 * builds from them (the reflective {@code new CommandLine(root)}) and writes down, attribute by
 * attribute, what it finds: commands, usage-message sections, mixins, argument groups, options and
 * positional parameters with their names, arity, types, labels, defaults, converters and completion
 * candidates. Option values are bound to the annotated fields through one generated getter/setter
 * class that switches on a field number (no class or lambda per option, no reflection). A model
 * attribute this program does not know how to write down fails the build, naming it.
 *
 * <p>CommandModelTest compares the generated model of every command with the reflective one, and
 * their --help texts, so an annotation changed without this step running fails the tests.
 *
 * <p>Usage: {@code java -cp CLASSES:picocli.jar src/build/CommandModelGenerator.java ROOT-CLASS
 * OUTPUT-DIR}
 */
public final class CommandModelGenerator {

  private static final String GENERATED = "GeneratedCommandModels";

  private final String pkg;
  private final StringBuilder methods = new StringBuilder();

  /** The fields the getter/setter class reaches, by number. */
  private final List<Field> fields = new ArrayList<>();

  private final Map<Field, Integer> fieldIds = new LinkedHashMap<>();
  private final List<String> commandNames = new ArrayList<>();
  private int local;

  private CommandModelGenerator(String pkg) {
    this.pkg = pkg;
  }

  public static void main(String[] args) throws Exception {
    Class<?> root = Class.forName(args[0]);
    Path out = Path.of(args[1]);
    CommandLine reflective = new CommandLine(root.getDeclaredConstructor().newInstance());
    CommandModelGenerator g = new CommandModelGenerator(root.getPackageName());
    String source = g.source(reflective.getCommandSpec());
    Path file = out.resolve(root.getPackageName().replace('.', '/')).resolve(GENERATED + ".java");
    Files.createDirectories(file.getParent());
    if (!Files.exists(file) || !Files.readString(file).equals(source)) {
      Files.writeString(file, source, StandardCharsets.UTF_8);
    }
    System.out.println(
        "command model: "
            + g.commandNames.size()
            + " commands, "
            + g.fields.size()
            + " bound fields -> "
            + file);
  }

  private String source(CommandSpec root) throws Exception {
    uninterpolated(root);
    String rootMethod = command(root, true);
    List<String> subs = new ArrayList<>();
    for (Map.Entry<String, CommandLine> e : root.subcommands().entrySet()) {
      CommandSpec sub = e.getValue().getCommandSpec();
      if (generated(sub)) {
        subs.add(e.getKey());
      }
    }
    StringBuilder s = new StringBuilder();
    s.append("package ").append(pkg).append(";\n\n");
    s.append(
        """
        import picocli.CommandLine;
        import picocli.CommandLine.Model.ArgGroupSpec;
        import picocli.CommandLine.Model.CommandSpec;
        import picocli.CommandLine.Model.IGetter;
        import picocli.CommandLine.Model.IScope;
        import picocli.CommandLine.Model.IScoped;
        import picocli.CommandLine.Model.ISetter;
        import picocli.CommandLine.Model.OptionSpec;
        import picocli.CommandLine.Model.PositionalParamSpec;
        import picocli.CommandLine.Model.UsageMessageSpec;
        import picocli.CommandLine.Range;

        /**
         * picocli's model of the commands, written by src/build/CommandModelGenerator.java from the
         * model picocli builds by reflection over the annotations. Generated: do not edit.
         */
        @javax.annotation.processing.Generated("CommandModelGenerator")
        @SuppressWarnings({"unchecked", "rawtypes", "deprecation"})
        final class GeneratedCommandModels extends CommandModels {

          @Override
          CommandLine subcommand(String name) {
            switch (name) {
        """);
    for (String name : subs) {
      s.append("      case ")
          .append(literal(name))
          .append(": return new CommandLine(")
          .append(methodName(name))
          .append("());\n");
    }
    s.append("      default: return null;\n");
    s.append("    }\n");
    s.append("  }\n\n");
    s.append("  @Override\n");
    s.append("  CommandLine root() {\n");
    s.append("    return new CommandLine(");
    s.append(rootMethod).append("());\n  }\n");
    s.append(methods);
    s.append(binding());
    s.append("}\n");
    return s.toString();
  }

  /** Raw texts: ${DEFAULT-VALUE} and the like stay for picocli to expand when it prints help. */
  private static void uninterpolated(CommandSpec spec) {
    spec.interpolateVariables(false);
    for (CommandSpec mixin : spec.mixins().values()) {
      uninterpolated(mixin);
    }
    for (CommandLine sub : spec.subcommands().values()) {
      uninterpolated(sub.getCommandSpec());
    }
  }

  /** A command whose class is in the generated class's package (not picocli's HelpCommand). */
  private boolean generated(CommandSpec spec) {
    return spec.userObject() != null && spec.userObject().getClass().getPackageName().equals(pkg);
  }

  private static String methodName(String commandName) {
    StringBuilder m = new StringBuilder("command");
    for (String part : commandName.split("[^A-Za-z0-9]+")) {
      if (!part.isEmpty()) {
        m.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return m.toString();
  }

  /** Writes a method that returns the command's spec; returns its name. */
  private String command(CommandSpec spec, boolean root) throws Exception {
    String method = methodName(root ? "root" : spec.name());
    commandNames.add(spec.name());
    Class<?> type = spec.userObject().getClass();
    StringBuilder b = new StringBuilder();
    b.append("\n  /** {@code ").append(spec.qualifiedName()).append("}. */\n");
    b.append("  static CommandSpec ").append(method).append("() {\n");
    b.append("    ").append(type.getCanonicalName()).append(" o = new ");
    b.append(type.getCanonicalName()).append("();\n");
    b.append("    CommandSpec s = CommandSpec.wrapWithoutInspection(o);\n");
    commandAttributes(spec, b);
    usage(spec.usageMessage(), b);

    // the order picocli added them in: each mixin and group where its first option stands
    Map<Object, Boolean> done = new IdentityHashMap<>();
    for (ArgSpec arg : spec.args()) {
      String mixinName = mixinOf(spec, arg);
      if (mixinName != null) {
        CommandSpec mixin = spec.mixins().get(mixinName);
        if (done.put(mixin, true) == null) {
          mixin(spec, mixinName, mixin, b);
        }
      } else if (arg.group() != null) {
        ArgGroupSpec top = arg.group();
        while (top.parentGroup() != null) {
          top = top.parentGroup();
        }
        if (done.put(top, true) == null) {
          String built = group(top, "o", b);
          b.append("    s.addArgGroup(").append(built).append(");\n");
        }
      } else {
        String built = arg(arg, "o", b);
        b.append("    s.add(").append(built).append(");\n");
      }
    }
    for (CommandSpec mixin : spec.mixins().values()) {
      if (!done.containsKey(mixin)) {
        throw new IllegalStateException(spec.qualifiedName() + ": a mixin without options");
      }
    }
    // @Spec fields (SELF): picocli injects the spec while it builds the model
    for (Field f : specFields(type)) {
      b.append("    o.").append(f.getName()).append(" = s;\n");
    }
    for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
      CommandSpec sub = e.getValue().getCommandSpec();
      if (!e.getKey().equals(sub.name())) {
        throw new IllegalStateException(sub.qualifiedName() + ": an alias as subcommand key");
      }
      if (generated(sub)) {
        String built = command(sub, false);
        b.append("    s.addSubcommand(")
            .append(literal(e.getKey()))
            .append(", new CommandLine(")
            .append(built)
            .append("()));\n");
      } else {
        // not ours (picocli's help command, with private fields): picocli builds it by reflection
        b.append("    s.addSubcommand(")
            .append(literal(e.getKey()))
            .append(", new CommandLine(new ")
            .append(sub.userObject().getClass().getCanonicalName())
            .append("()));\n");
      }
    }
    b.append("    return s;\n  }\n");
    methods.append(b);
    return method;
  }

  private static String mixinOf(CommandSpec spec, ArgSpec arg) {
    for (Map.Entry<String, CommandSpec> e : spec.mixins().entrySet()) {
      for (ArgSpec a : e.getValue().args()) {
        if (a == arg) {
          return e.getKey();
        }
      }
    }
    return null;
  }

  private void commandAttributes(CommandSpec spec, StringBuilder b) {
    CommandSpec d = CommandSpec.create();
    b.append("    s.name(").append(literal(spec.name())).append(");\n");
    if (spec.aliases().length > 0) {
      b.append("    s.aliases(").append(strings(spec.aliases())).append(");\n");
    }
    String[] version = (String[]) read(spec, "version"); // version() asks the version provider
    if (version != null && version.length > 0) {
      b.append("    s.version(").append(strings(version)).append(");\n");
    }
    if (spec.versionProvider() != null) {
      b.append("    s.versionProvider(").append(newInstance(spec.versionProvider())).append(");\n");
    }
    if (spec.defaultValueProvider() != null) {
      b.append("    s.defaultValueProvider(")
          .append(newInstance(spec.defaultValueProvider()))
          .append(");\n");
    }
    if (spec.helpCommand()) {
      b.append("    s.helpCommand(true);\n");
    }
    int[][] codes = {
      {spec.exitCodeOnSuccess(), d.exitCodeOnSuccess()},
      {spec.exitCodeOnUsageHelp(), d.exitCodeOnUsageHelp()},
      {spec.exitCodeOnVersionHelp(), d.exitCodeOnVersionHelp()},
      {spec.exitCodeOnInvalidInput(), d.exitCodeOnInvalidInput()},
      {spec.exitCodeOnExecutionException(), d.exitCodeOnExecutionException()},
    };
    String[] setters = {
      "exitCodeOnSuccess",
      "exitCodeOnUsageHelp",
      "exitCodeOnVersionHelp",
      "exitCodeOnInvalidInput",
      "exitCodeOnExecutionException"
    };
    for (int i = 0; i < codes.length; i++) {
      if (codes[i][0] != codes[i][1]) {
        b.append("    s.").append(setters[i]).append("(").append(codes[i][0]).append(");\n");
      }
    }
    same(spec, "scopeType", spec.scopeType(), d.scopeType());
    same(spec, "subcommandsRepeatable", spec.subcommandsRepeatable(), d.subcommandsRepeatable());
    same(spec, "resourceBundleBaseName", spec.resourceBundleBaseName(), null);
    same(spec, "parser separator", spec.parser().separator(), d.parser().separator());
    same(
        spec,
        "preprocessor",
        spec.preprocessor().getClass().getName(),
        d.preprocessor().getClass().getName());
    same(
        spec,
        "modelTransformer",
        spec.modelTransformer() == null ? null : spec.modelTransformer().getClass().getName(),
        d.modelTransformer() == null ? null : d.modelTransformer().getClass().getName());
    if (spec.unmatchedArgsBindings().size() > 0) {
      throw new IllegalStateException(spec.qualifiedName() + ": @Unmatched is not supported");
    }
    if (!spec.parentCommandElements().isEmpty()) {
      throw new IllegalStateException(spec.qualifiedName() + ": @ParentCommand is not supported");
    }
  }

  /** A field of picocli's model that it shows only through a getter doing more. */
  private static Object read(Object model, String field) {
    try {
      Field f = model.getClass().getDeclaredField(field);
      f.setAccessible(true);
      return f.get(model);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("picocli's " + model.getClass() + " has no " + field, e);
    }
  }

  private static void same(CommandSpec spec, String what, Object value, Object usual) {
    if (!Objects.equals(value, usual)) {
      throw new IllegalStateException(
          spec.qualifiedName() + ": " + what + " = " + value + " is not supported by " + GENERATED);
    }
  }

  /** Every usage-message attribute picocli can set from @Command that differs from the default. */
  private static void usage(UsageMessageSpec u, StringBuilder b) throws Exception {
    UsageMessageSpec d = CommandSpec.create().usageMessage();
    for (Method getter : UsageMessageSpec.class.getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())) {
        continue;
      }
      Class<?> t = getter.getReturnType();
      if (!(t == String.class
          || t == String[].class
          || t == boolean.class
          || t == int.class
          || t == double.class
          || t == char.class
          || (t == Map.class && getter.getName().equals("exitCodeList")))) {
        continue; // not set from @Command (section renderers, help factory, messages)
      }
      try {
        if (UsageMessageSpec.class.getMethod(getter.getName(), t).getReturnType()
            != UsageMessageSpec.class) {
          continue;
        }
      } catch (NoSuchMethodException e) {
        continue;
      }
      Object value = getter.invoke(u);
      Object usual = getter.invoke(d);
      if (Objects.deepEquals(value, usual)) {
        continue;
      }
      String code;
      if (value instanceof String[] a) {
        code = strings(a);
      } else if (value instanceof String str) {
        code = literal(str);
      } else if (value instanceof Boolean || value instanceof Integer || value instanceof Double) {
        code = String.valueOf(value);
      } else if (value instanceof Character c) {
        code = "(char) " + (int) c;
      } else {
        throw new IllegalStateException(
            "usage attribute " + getter.getName() + " = " + value + " is not supported");
      }
      b.append("    s.usageMessage().")
          .append(getter.getName())
          .append("(")
          .append(code)
          .append(");\n");
    }
  }

  private void mixin(CommandSpec spec, String name, CommandSpec mixin, StringBuilder b)
      throws Exception {
    Object user = mixin.userObject();
    String m = "m" + local++;
    String target;
    Field field = mixinField(spec.userObject().getClass(), name);
    if (field != null) {
      // a @Mixin field: picocli creates its object when the field is null
      target = m + "o";
      b.append("    if (o.").append(field.getName()).append(" == null) {\n");
      b.append("      o.").append(field.getName()).append(" = new ");
      b.append(field.getType().getCanonicalName()).append("();\n    }\n");
      b.append("    ").append(field.getType().getCanonicalName()).append(" ").append(target);
      b.append(" = o.").append(field.getName()).append(";\n");
      b.append("    CommandSpec ").append(m).append(" = CommandSpec.wrapWithoutInspection(");
      b.append(target).append(");\n");
    } else if (name.equals("mixinStandardHelpOptions")) {
      // picocli's own mixin (-h, -V), bound to values the model holds
      target = null;
      b.append("    CommandSpec ").append(m).append(" = CommandSpec.create();\n");
    } else {
      throw new IllegalStateException(spec.qualifiedName() + ": mixin " + name + " not supported");
    }
    if (!mixin.argGroups().isEmpty() || !mixin.subcommands().isEmpty()) {
      throw new IllegalStateException(name + ": groups or subcommands in a mixin: not supported");
    }
    if (!Arrays.equals(mixin.usageMessage().description(), new String[0])
        || !Arrays.equals(mixin.usageMessage().footer(), new String[0])) {
      throw new IllegalStateException(name + ": usage sections in a mixin: not supported");
    }
    for (ArgSpec arg : mixin.args()) {
      String built = arg(arg, target, b);
      b.append("    ").append(m).append(".add(").append(built).append(");\n");
    }
    b.append("    s.addMixin(").append(literal(name)).append(", ").append(m).append(");\n");
    if (user != null && field != null) {
      for (Field f : specFields(user.getClass())) {
        CommandLine.Spec.Target t = f.getAnnotation(CommandLine.Spec.class).value();
        // MIXEE: the command's spec; SELF: the mixin's own
        b.append("    ").append(target).append(".").append(f.getName()).append(" = ");
        b.append(t == CommandLine.Spec.Target.MIXEE ? "s" : m).append(";\n");
      }
    }
  }

  private static Field mixinField(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        CommandLine.Mixin mixin = f.getAnnotation(CommandLine.Mixin.class);
        if (mixin != null && (mixin.name().isEmpty() ? f.getName() : mixin.name()).equals(name)) {
          return f;
        }
      }
    }
    return null;
  }

  private static List<Field> specFields(Class<?> type) {
    List<Field> out = new ArrayList<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.isAnnotationPresent(CommandLine.Spec.class)) {
          out.add(f);
        }
      }
    }
    return out;
  }

  /** A group and its subgroups; its options bound to the group object picocli creates. */
  private String group(ArgGroupSpec g, String owner, StringBuilder b) throws Exception {
    if (!g.specElements().isEmpty()) {
      throw new IllegalStateException(g.synopsis() + ": @Spec in an argument group: not supported");
    }
    Field field = groupField(g);
    String v = "g" + local++;
    String scope = v + "s";
    b.append("    Scope ").append(scope).append(" = new Scope(null);\n");
    // the @ArgGroup field, in the object that holds it (a command, or the enclosing group's)
    String holder = owner.equals("o") ? "new Scope(o)" : owner;
    b.append("    Slot ").append(v).append("f = new Slot(").append(fieldId(field)).append(", ");
    b.append(holder).append(");\n");
    b.append("    ArgGroupSpec.Builder ").append(v).append(" = ArgGroupSpec.builder()");
    b.append(".exclusive(").append(g.exclusive()).append(")");
    b.append(".multiplicity(").append(range(g.multiplicity())).append(")");
    b.append(".validate(").append(g.validate()).append(")");
    b.append(".order(").append(g.order()).append(")");
    b.append(".heading(").append(literal(g.heading())).append(")");
    b.append(".headingKey(").append(literal(g.headingKey())).append(")");
    b.append(".typeInfo(typeOf(").append(field.getType().getCanonicalName()).append(".class))");
    b.append(".getter(").append(v).append("f).setter(").append(v).append("f)");
    b.append(".scope(").append(v).append("f.scope);\n");
    if (!(g.typeInfo().getType() == field.getType())) {
      throw new IllegalStateException(g.synopsis() + ": a multi-value group is not supported");
    }
    for (ArgSpec arg : g.args()) {
      String built = arg(arg, scope, true, b);
      b.append("    ").append(v).append(".addArg(").append(built).append(");\n");
    }
    for (ArgGroupSpec sub : g.subgroups()) {
      String built = group(sub, scope, b);
      b.append("    ").append(v).append(".addSubgroup(").append(built).append(");\n");
    }
    return v + ".build()";
  }

  /** The @ArgGroup field of a group: found through the binding picocli made for it. */
  private static Field groupField(ArgGroupSpec g) throws Exception {
    Object setter = g.setter();
    for (Class<?> c = setter.getClass(); c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getType() == Field.class) {
          f.setAccessible(true);
          return (Field) f.get(setter);
        }
      }
    }
    throw new IllegalStateException(g.synopsis() + ": not bound to a field");
  }

  private String arg(ArgSpec arg, String target, StringBuilder b) throws Exception {
    return arg(arg, target, false, b);
  }

  /**
   * An option or positional parameter. {@code target}: the expression of the object whose field it
   * sets, or (in a group) the name of the group's {@code Scope}; null for picocli's own help
   * options, which a value in the model holds.
   */
  private String arg(ArgSpec arg, String target, boolean inGroup, StringBuilder b)
      throws Exception {
    StringBuilder a = new StringBuilder();
    if (arg instanceof OptionSpec o) {
      a.append("OptionSpec.builder(").append(varargs(o.names())).append(")");
      if (o.usageHelp()) {
        a.append(".usageHelp(true)");
      }
      if (o.versionHelp()) {
        a.append(".versionHelp(true)");
      }
      if (o.help()) {
        a.append(".help(true)");
      }
      if (o.negatable()) {
        a.append(".negatable(true)");
      }
      a.append(".fallbackValue(").append(literal(o.fallbackValue())).append(")");
      a.append(".order(").append(o.order()).append(")");
    } else {
      PositionalParamSpec p = (PositionalParamSpec) arg;
      a.append("PositionalParamSpec.builder().index(").append(range(p.index())).append(")");
    }
    a.append(".arity(").append(range(arg.arity())).append(")");
    // an exclusive group makes its options required, noting which were not (originallyRequired)
    boolean exclusive = inGroup && arg.group().exclusive();
    a.append(".required(").append(exclusive ? !arg.originallyRequired() : arg.required());
    a.append(")");
    a.append(".paramLabel(").append(literal(arg.paramLabel())).append(")");
    if (arg.hideParamSyntax()) {
      a.append(".hideParamSyntax(true)");
    }
    a.append(".description(").append(varargs(arg.description())).append(")");
    a.append(".descriptionKey(").append(literal(arg.descriptionKey())).append(")");
    a.append(".prompt(").append(literal(arg.prompt())).append(")");
    if (arg.echo()) {
      a.append(".echo(true)");
    }
    a.append(".type(").append(classLiteral(arg.type())).append(")");
    a.append(".auxiliaryTypes(");
    Class<?>[] aux = arg.auxiliaryTypes();
    for (int i = 0; i < aux.length; i++) {
      a.append(i == 0 ? "" : ", ").append(classLiteral(aux[i]));
    }
    a.append(")");
    if (!arg.splitRegex().isEmpty()) {
      a.append(".splitRegex(").append(literal(arg.splitRegex())).append(")");
    }
    if (!arg.splitRegexSynopsisLabel().isEmpty()) {
      a.append(".splitRegexSynopsisLabel(")
          .append(literal(arg.splitRegexSynopsisLabel()))
          .append(")");
    }
    if (arg.hidden()) {
      a.append(".hidden(true)");
    }
    if (arg.defaultValue() != null) {
      a.append(".defaultValue(").append(literal(arg.defaultValue())).append(")");
    }
    if (!"__unspecified__".equals(arg.mapFallbackValue())) {
      throw new IllegalStateException(arg + ": mapFallbackValue is not supported");
    }
    if (arg.showDefaultValue() != CommandLine.Help.Visibility.ON_DEMAND) {
      a.append(".showDefaultValue(CommandLine.Help.Visibility.")
          .append(arg.showDefaultValue().name())
          .append(")");
    }
    if (arg.scopeType() != null && arg.scopeType() != CommandLine.ScopeType.LOCAL) {
      throw new IllegalStateException(arg + ": scope " + arg.scopeType() + " not supported");
    }
    // LOCAL: the builder's default (its setter is not reachable from outside picocli's package)
    if (arg.interactive() || arg.parameterConsumer() != null || arg.inherited()) {
      throw new IllegalStateException(arg + ": interactive, parameterConsumer or inherited");
    }
    if (!arg.preprocessor().getClass().getName().startsWith("picocli.")) {
      throw new IllegalStateException(arg + ": a preprocessor is not supported");
    }
    if (arg.converters().length > 0) {
      a.append(".converters(");
      for (int i = 0; i < arg.converters().length; i++) {
        a.append(i == 0 ? "" : ", ").append(newInstance(arg.converters()[i]));
      }
      a.append(")");
    }
    if (arg.completionCandidates() != null
        && !arg.completionCandidates().getClass().getName().startsWith("java.")) {
      a.append(".completionCandidates(").append(newInstance(arg.completionCandidates()));
      a.append(")");
    }
    a.append(".withToString(").append(literal(arg.toString())).append(")");
    // the binding: a field of the object target names, or a value in the model
    Object user = arg.userObject();
    if (target == null) {
      a.append(".getter(h").append(local).append(").setter(h").append(local).append(")");
      b.append("    Scope h").append(local).append(" = new Scope(null);\n");
      local++;
      a.append(".hasInitialValue(true).initialValue(").append(initial(arg)).append(")");
    } else if (user instanceof Field f) {
      int id = fieldId(f);
      String scope = inGroup ? target : "new Scope(" + target + ")";
      String slot = "f" + local++;
      b.append("    Slot ").append(slot).append(" = new Slot(").append(id).append(", ");
      b.append(scope).append(");\n");
      a.append(".getter(").append(slot).append(").setter(").append(slot).append(")");
      a.append(".scope(").append(inGroup ? target : slot + ".scope").append(")");
      if (inGroup) {
        // picocli reads the initial value from a group's object once it creates one
        a.append(".hasInitialValue(false)");
      } else {
        // as picocli does: the field's value before parsing is its initial value
        a.append(".hasInitialValue(true).initialValue(").append(slot).append(".get())");
      }
    } else {
      throw new IllegalStateException(arg + ": bound to " + user + ", not a field");
    }
    return a.append(".build()").toString();
  }

  private static String initial(ArgSpec arg) {
    Object v = arg.initialValue();
    if (v instanceof Boolean bool) {
      return bool.toString();
    }
    throw new IllegalStateException(arg + ": initial value " + v + " not supported");
  }

  private int fieldId(Field f) {
    Integer id = fieldIds.get(f);
    if (id == null) {
      if (Modifier.isPrivate(f.getModifiers()) || Modifier.isFinal(f.getModifiers())) {
        throw new IllegalStateException(f + ": private or final; the model cannot set it");
      }
      id = fields.size();
      fields.add(f);
      fieldIds.put(f, id);
    }
    return id;
  }

  /** The getter/setter class: one case per bound field. */
  private String binding() {
    StringBuilder s = new StringBuilder();
    s.append(
        """

          /** A field, by number, of the object in a scope. */
          static final class Slot implements IGetter, ISetter, IScoped {
            private final int field;
            final Scope scope;

            Slot(int field, Scope scope) {
              this.field = field;
              this.scope = scope;
            }

            @Override
            public IScope getScope() {
              return scope;
            }

            @Override
            public <T> T get() {
              Object o = scope.value;
              switch (field) {
        """);
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      s.append("        case ").append(i).append(": return (T) ");
      s.append(box(f.getType(), cast(f) + "." + f.getName())).append(";\n");
    }
    s.append(
        """
                default: throw new IllegalStateException("no field " + field);
              }
            }

            @Override
            public <T> T set(T v) {
              Object o = scope.value;
              Object old;
              switch (field) {
        """);
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      String ref = cast(f) + "." + f.getName();
      s.append("        case ").append(i).append(": old = ").append(box(f.getType(), ref));
      s.append("; ").append(ref).append(" = ").append(unbox(f)).append("; break;\n");
    }
    s.append(
        """
                default: throw new IllegalStateException("no field " + field);
              }
              return (T) old;
            }
          }

          /**
           * The object whose fields the options of a command, mixin or group set (picocli replaces a
           * group's), or the value of one of picocli's help options (nothing but picocli reads them).
           */
          static final class Scope implements IScope {
            Object value;

            Scope(Object value) {
              this.value = value;
            }

            @Override
            public <T> T get() {
              return (T) value;
            }

            @Override
            public <T> T set(T v) {
              T old = (T) value;
              value = v;
              return old;
            }
          }
        """);
    return s.toString();
  }

  private static String cast(Field f) {
    return "((" + f.getDeclaringClass().getCanonicalName() + ") o)";
  }

  private static String box(Class<?> type, String expr) {
    return type.isPrimitive() ? "(Object) " + expr : expr;
  }

  private static String unbox(Field f) {
    Class<?> t = f.getType();
    if (t.isPrimitive()) {
      String boxed =
          switch (t.getName()) {
            case "boolean" -> "Boolean";
            case "int" -> "Integer";
            case "long" -> "Long";
            case "double" -> "Double";
            case "float" -> "Float";
            case "short" -> "Short";
            case "byte" -> "Byte";
            case "char" -> "Character";
            default -> throw new IllegalStateException(t.getName());
          };
      return "(" + boxed + ") v";
    }
    return "(" + t.getCanonicalName() + ") v";
  }

  private static String newInstance(Object o) {
    Class<?> c = o.getClass();
    if (c.isAnonymousClass() || c.isSynthetic() || c.getCanonicalName() == null) {
      throw new IllegalStateException(o + ": not a named class");
    }
    return "new " + c.getCanonicalName() + "()";
  }

  private static String classLiteral(Class<?> c) {
    return c.getCanonicalName() + ".class";
  }

  private static String range(Range r) {
    return "new Range("
        + r.min()
        + ", "
        + r.max()
        + ", "
        + r.isVariable()
        + ", "
        + r.isUnspecified()
        + ", "
        + literal(r.originalValue())
        + ")";
  }

  private static String strings(String[] values) {
    return "new String[] {" + varargs(values) + "}";
  }

  private static String varargs(String[] values) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      s.append(i == 0 ? "" : ", ").append(literal(values[i]));
    }
    return s.toString();
  }

  static String literal(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
