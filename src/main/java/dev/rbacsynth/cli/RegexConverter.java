package dev.rbacsynth.cli;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A {@code --subjects-matching} regular expression: a bad one is one line in the user's words
 * ({@code "[" is not a regular expression: unclosed character class (at character 1)}), not the
 * JDK's multi-line exception text with its class name.
 */
final class RegexConverter implements ITypeConverter<Pattern> {

  @Override
  public Pattern convert(String value) {
    try {
      return Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      String what = e.getDescription();
      String lower =
          what.isEmpty() ? "invalid" : Character.toLowerCase(what.charAt(0)) + what.substring(1);
      throw new TypeConversionException(
          "\""
              + value
              + "\" is not a regular expression: "
              + lower
              + (e.getIndex() >= 0 ? " (at character " + (e.getIndex() + 1) + ")" : ""));
    }
  }
}
