package dev.rbacsynth.event;

import java.util.Objects;

/**
 * The few request-body fields that imply extra authorization checks: a binding's {@code roleRef}
 * (the {@code bind} check) and a CSR's {@code spec.signerName} (the {@code approve} check). Present
 * only at Request level or higher.
 */
public record RequestBody(String roleRefKind, String roleRefName, String signerName) {

  public static final RequestBody NONE = new RequestBody("", "", "");

  public RequestBody {
    roleRefKind = Objects.requireNonNullElse(roleRefKind, "");
    roleRefName = Objects.requireNonNullElse(roleRefName, "");
    signerName = Objects.requireNonNullElse(signerName, "");
  }
}
