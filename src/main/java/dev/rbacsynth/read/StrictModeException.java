package dev.rbacsynth.read;

/** Thrown under {@code --strict} for the first unusable record. */
public class StrictModeException extends RuntimeException {
  private final ReadProblem problem;

  public StrictModeException(ReadProblem problem) {
    super(problem.format());
    this.problem = problem;
  }

  public ReadProblem problem() {
    return problem;
  }
}
