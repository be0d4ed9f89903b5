package dev.rbacsynth.report;

/** Markdown cells: code spans and escaped text, as the reports write them. */
final class Markdown {
  private Markdown() {}

  static String code(String s) {
    return "`" + s.replace("`", "'").replace("|", "\\|") + "`";
  }

  static String escape(String s) {
    return s.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace("*", "\\*")
        .replace("_", "\\_")
        .replace("`", "\\`")
        .replace("\n", " ");
  }
}
