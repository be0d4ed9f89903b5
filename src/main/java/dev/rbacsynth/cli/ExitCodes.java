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

  /**
   * The reader of standard output closed it before the end ({@code | head}): no message, the code a
   * shell gives a program that SIGPIPE ended (128 + 13), as {@code git log | head} and coreutils.
   */
  public static final int CLOSED_PIPE = 141;

  // The exit-code tables of --help: one line per code, each command listing the codes it can
  // return.
  private static final String HEAD = "Exit codes:%n";
  private static final String INPUT_ERROR =
      "  2  usage or input error (bad flag, missing file, unreadable directory,%n";
  private static final String NO_MATCH_LINE = "  3  audit events, but none matched the subject%n";
  private static final String INTERNAL_LINE = "  4  internal error (please report it)";

  /** The top-level help: every code, with the commands it belongs to. */
  public static final String HELP_TEXT =
      HEAD
          + "  0  success (diff: nothing in --fail-on found; can-i: yes)%n"
          + "  1  diff: findings listed in --fail-on; can-i: no; generate --verify failed%n"
          + INPUT_ERROR
          + "     invalid manifest, bad record under --strict, no audit event at all)%n"
          + NO_MATCH_LINE
          + INTERNAL_LINE
          + "%n  141  standard output closed by its reader (| head): no message, as SIGPIPE";

  /** generate's codes. */
  public static final String GENERATE_HELP =
      HEAD
          + "  0  success%n"
          + "  1  --verify failed%n"
          + INPUT_ERROR
          + "     bad record under --strict, no audit event at all)%n"
          + NO_MATCH_LINE
          + INTERNAL_LINE;

  /** diff's codes. */
  public static final String DIFF_HELP =
      HEAD
          + "  0  no finding listed in --fail-on (or all accepted by --baseline)%n"
          + "  1  findings listed in --fail-on%n"
          + INPUT_ERROR
          + "     invalid manifest, no RBAC object in --rbac, bad record under%n"
          + "     --strict, no audit event at all)%n"
          + "  3  audit events, but none of the subject's: the report is written all%n"
          + "     the same (not observed; its risky grants), and exit 1 wins when%n"
          + "     one of them is listed in --fail-on%n"
          + INTERNAL_LINE;

  /** subjects' codes. */
  public static final String SUBJECTS_HELP =
      HEAD
          + "  0  success%n"
          + INPUT_ERROR
          + "     bad record under --strict, no audit event at all)%n"
          + "  3  audit events, but no subject left after -n, --subjects-matching,%n"
          + "     --since and --until%n"
          + INTERNAL_LINE;

  /** can-i's codes. */
  public static final String CAN_I_HELP =
      HEAD
          + "  0  yes%n"
          + "  1  no%n"
          + INPUT_ERROR
          + "     invalid manifest, no RBAC object in --rbac)%n"
          + INTERNAL_LINE;

  /** collect's codes. */
  public static final String COLLECT_HELP =
      HEAD
          + "  0  success (the ledger is written)%n"
          + INPUT_ERROR
          + "     unreadable ledger, bad record under --strict, one log under two%n"
          + "     names)%n"
          + INTERNAL_LINE;

  /** serve's codes. */
  public static final String SERVE_HELP =
      HEAD
          + "  0  stopped by SIGTERM or SIGINT%n"
          + "  2  usage error (bad flag, unreadable certificate, key or token file,%n"
          + "     address in use, state directory not writable)%n"
          + INTERNAL_LINE;

  private ExitCodes() {}
}
