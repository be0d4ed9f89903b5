package dev.rbacsynth.event;

import java.util.Objects;

/**
 * The few body fields that imply extra authorization checks: a binding's {@code roleRef} (the
 * {@code bind} check) and a CSR's {@code spec.signerName} (the {@code approve} check). The request
 * body is present only at Request level or higher.
 *
 * @param signerName {@code spec.signerName} of the request body, as the client sent it
 * @param storedSignerName {@code spec.signerName} of the response body (RequestResponse level): the
 *     stored object, whose signer the apiserver checked; "" when not logged
 */
public record RequestBody(
    String roleRefKind, String roleRefName, String signerName, String storedSignerName) {

  public static final RequestBody NONE = new RequestBody("", "", "", "");

  public RequestBody {
    roleRefKind = Objects.requireNonNullElse(roleRefKind, "");
    roleRefName = Objects.requireNonNullElse(roleRefName, "");
    signerName = Objects.requireNonNullElse(signerName, "");
    storedSignerName = Objects.requireNonNullElse(storedSignerName, "");
  }

  public RequestBody(String roleRefKind, String roleRefName, String signerName) {
    this(roleRefKind, roleRefName, signerName, "");
  }

  /** This body with the stored object's signer from a response body. */
  public RequestBody withStoredSignerName(String stored) {
    return new RequestBody(roleRefKind, roleRefName, signerName, stored);
  }
}
