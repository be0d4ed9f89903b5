package dev.rbacsynth.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code audit.k8s.io} Event (v1, v1beta1 or v1alpha1, normalised to v1), holding the fields
 * that decide authorization. Vendor envelopes (GKE, AKS, EKS, log shippers) are turned into this
 * same record by the reader, so the rest of the pipeline does not know where an event came from.
 *
 * @param objectRef null for non-resource requests
 * @param impersonatedUser null when the request was not impersonated
 * @param impersonationConstraint {@code authenticationMetadata.impersonationConstraint} (1.35+), ""
 *     when absent
 * @param responseCode 0 when there is no responseStatus (RequestReceived)
 * @param stageTimestamp {@code stageTimestamp} as written (RFC 3339), "" when absent; parsed only
 *     where needed (the usage ledger's part boundaries)
 * @param userAgent the client's user agent, "" when absent (kept as a sample in the usage ledger)
 * @param requestObject the raw request body fields rbac-synth reads ({@code roleRef}, {@code
 *     spec.signerName}), already extracted; empty when not logged
 */
public record AuditEvent(
    String auditID,
    Stage stage,
    String requestURI,
    String verb,
    UserInfo user,
    UserInfo impersonatedUser,
    String impersonationConstraint,
    ObjectReference objectRef,
    int responseCode,
    String responseReason,
    String responseMessage,
    Instant requestReceivedTimestamp,
    Map<String, String> annotations,
    RequestBody requestObject,
    String stageTimestamp,
    String userAgent) {

  public static final String DECISION = "authorization.k8s.io/decision";

  public AuditEvent {
    auditID = Objects.requireNonNullElse(auditID, "");
    stage = Objects.requireNonNullElse(stage, Stage.UNKNOWN);
    requestURI = Objects.requireNonNullElse(requestURI, "");
    verb = Objects.requireNonNullElse(verb, "");
    user = Objects.requireNonNullElse(user, UserInfo.EMPTY);
    impersonationConstraint = Objects.requireNonNullElse(impersonationConstraint, "");
    responseReason = Objects.requireNonNullElse(responseReason, "");
    responseMessage = Objects.requireNonNullElse(responseMessage, "");
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    requestObject = Objects.requireNonNullElse(requestObject, RequestBody.NONE);
    stageTimestamp = Objects.requireNonNullElse(stageTimestamp, "");
    userAgent = Objects.requireNonNullElse(userAgent, "");
  }

  /** The identity the main authorization decision was about: the impersonated user when set. */
  public UserInfo effectiveUser() {
    return impersonatedUser != null ? impersonatedUser : user;
  }

  public boolean isResourceRequest() {
    return objectRef != null;
  }

  /** {@code allow}, {@code forbid}, or "" when the authorization filter wrote no decision. */
  public String decision() {
    return annotations.getOrDefault(DECISION, "");
  }
}
