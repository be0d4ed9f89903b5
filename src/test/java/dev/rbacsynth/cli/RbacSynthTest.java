package dev.rbacsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class RbacSynthTest {

  @Test
  void theStartUpPathKnowsEverySubcommandOfTheAnnotation() {
    for (Class<?> type : RbacSynth.class.getAnnotation(Command.class).subcommands()) {
      if (type == CommandLine.HelpCommand.class) {
        continue;
      }
      String name = type.getAnnotation(Command.class).name();
      CommandLine cli = RbacSynth.commandLine(new String[] {name, "--help"});
      assertThat(cli).as("the fast path for '%s'", name).isNotNull();
      Object command = cli.getCommand();
      assertThat(command).isInstanceOf(type);
      assertThat(cli.getCommandName()).isEqualTo("rbac-synth " + name);
    }
  }

  @Test
  void anythingElseGetsTheWholeTree() {
    assertThat(RbacSynth.commandLine(new String[] {})).isNull();
    assertThat(RbacSynth.commandLine(new String[] {"help"})).isNull();
    assertThat(RbacSynth.commandLine(new String[] {"no-such-command"})).isNull();
  }
}
