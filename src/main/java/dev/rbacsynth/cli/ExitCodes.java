package dev.rbacsynth.cli;

/** Exit codes, the same for every command (documented in the README and in {@code --help}). */
public final class ExitCodes {
  /** Success; for diff: nothing listed in --fail-on was found; for can-i: yes. */
  public static final int OK = 0;

  /** diff: a finding listed in --fail-on; can-i: no; generate --verify: the check failed. */
  public static final int FINDINGS = 1;

  /**
   * Usage or input error: bad flags, missing file, unreadable directory, bad manifest, --strict bad
   * record.
   */
  public static final int USAGE_OR_INPUT = 2;

  /**
   * The input has audit events, but none matched the subject (nothing to generate or review); an
   * input with no audit event at all is {@link #USAGE_OR_INPUT}.
   */
  public static final int NO_MATCH = 3;

  /** A bug in rbac-synth; the message asks for a report. */
  public static final int INTERNAL = 4;

  public static final String HELP_TEXT =
      "Exit codes:%n"
          + "  0  success (diff: nothing in --fail-on found; can-i: yes)%n"
          + "  1  diff: findings listed in --fail-on; can-i: no; --verify failed%n"
          + "  2  usage or input error (bad flag, missing file, unreadable directory,%n"
          + "     invalid manifest, bad record under --strict, no audit event at all)%n"
          + "  3  audit events, but none matched the subject%n"
          + "  4  internal error (please report it)";

  private ExitCodes() {}
}
