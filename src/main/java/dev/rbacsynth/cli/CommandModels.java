package dev.rbacsynth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ITypeInfo;
import picocli.CommandLine.Model.OptionSpec;

/**
 * picocli's model of the commands, built through picocli's programmatic API by a class the build
 * generates from the annotations (src/build/CommandModelGenerator.java writes {@code
 * GeneratedCommandModels} after the main classes are compiled). A run so builds no model by
 * reflection over the annotations: parsing them and spinning a proxy class per annotation type was
 * about 40 ms of a small run. The annotations in this package stay the one description of the
 * options; CommandModelTest checks the generated model against the reflective one.
 */
abstract class CommandModels {

  private static final String GENERATED = "dev.rbacsynth.cli.GeneratedCommandModels";

  /** The invoked subcommand alone (its own model only), or null for a name that is none. */
  abstract CommandLine subcommand(String name);

  /** {@code rbac-synth} with every subcommand. */
  abstract CommandLine root();

  /** The generated models; an error when the build did not generate them. */
  static CommandModels get() {
    try {
      // by name: the class exists only after the build's generation step
      return (CommandModels) Class.forName(GENERATED).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          GENERATED + " is missing: the build generates it (mvn process-classes)", e);
    }
  }

  /**
   * The type information picocli keeps for an argument group's field of this (single-valued) type.
   * picocli makes it public only through an argument's model, so one is built for the purpose.
   */
  static ITypeInfo typeOf(Class<?> type) {
    return OptionSpec.builder("-t").type(type).build().typeInfo();
  }
}
