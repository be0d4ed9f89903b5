package dev.rbacsynth.report;

import dev.rbacsynth.read.ManifestPositions.Location;
import dev.rbacsynth.review.Gate;
import dev.rbacsynth.review.ReviewFinding;
import dev.rbacsynth.review.SubjectReview;
import java.util.List;
import java.util.Optional;

/**
 * The {@code -o github} report: one GitHub Actions workflow command per finding, {@code ::error
 * file=PATH,line=N,title=TITLE::MESSAGE}, which the runner turns into an annotation on that line of
 * the pull request. Findings that fail the gate are errors, other missing and risky findings
 * warnings, unused ones notices; a baselined finding says so in its title. Values are escaped as
 * the runner expects ({@code %}, CR, LF, and in properties {@code :} and {@code ,}).
 */
public final class GithubAnnotations {
  private GithubAnnotations() {}

  public static String render(
      List<SubjectReview> reviews,
      FindingLocations locations,
      Gate gate,
      ObservationWindow window) {
    StringBuilder out = new StringBuilder();
    out.append("::notice title=Observation window::")
        .append(data("Observed " + window.header()))
        .append('\n');
    if (window.isShort()) {
      out.append("::warning title=Short observation window::")
          .append(data(window.warning()))
          .append('\n');
    }
    for (SubjectReview review : reviews) {
      for (ReviewFinding f : ReviewFinding.of(review)) {
        Gate.Verdict verdict = gate.verdict(f);
        String command =
            verdict.fails()
                ? "error"
                : switch (f.kind()) {
                  case MISSING, RISKY -> "warning";
                  case UNUSED -> "notice";
                };
        StringBuilder props = new StringBuilder();
        Optional<Location> at = locations.of(f, review);
        if (at.isPresent()) {
          props
              .append("file=")
              .append(property(FindingLocations.uri(at.get().file())))
              .append(",line=")
              .append(at.get().line())
              .append(',');
        }
        String title =
            FindingText.title(f)
                + " ("
                + f.subject().describe()
                + ")"
                + (verdict == Gate.Verdict.BASELINED ? " [baselined]" : "")
                + (verdict == Gate.Verdict.EXPIRED ? " [baseline expired]" : "");
        props.append("title=").append(property(title));
        out.append("::")
            .append(command)
            .append(' ')
            .append(props)
            .append("::")
            .append(data(FindingText.message(f, review, window)))
            .append('\n');
      }
    }
    return out.toString();
  }

  static String data(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  static String property(String s) {
    return data(s).replace(":", "%3A").replace(",", "%2C");
  }
}
