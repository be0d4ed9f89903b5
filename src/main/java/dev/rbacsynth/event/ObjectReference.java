package dev.rbacsynth.event;

import java.util.Objects;

/**
 * The {@code objectRef} of an audit event: what the authorizer saw for a resource request (except
 * the name of a create, which the apiserver fills in from the body). All fields are {@code ""} when
 * absent.
 */
public record ObjectReference(
    String resource,
    String namespace,
    String name,
    String apiGroup,
    String apiVersion,
    String subresource) {

  public ObjectReference {
    resource = Objects.requireNonNullElse(resource, "");
    namespace = Objects.requireNonNullElse(namespace, "");
    name = Objects.requireNonNullElse(name, "");
    apiGroup = Objects.requireNonNullElse(apiGroup, "");
    apiVersion = Objects.requireNonNullElse(apiVersion, "");
    subresource = Objects.requireNonNullElse(subresource, "");
  }
}
