package dev.rbacsynth.read;

/** A manifest document that cannot be parsed or is not a valid RBAC object: exit code 2. */
public class RbacManifestException extends RuntimeException {
  public RbacManifestException(String message) {
    super(message);
  }
}
