/**
 * The third stage: what the authorizer sees for one event, as upstream's RequestInfo derives it
 * from the URI (verb, API group, resource, subresource, name, namespace, non-resource URL), the
 * outcome of the request, and the checks a request implies beyond its own verb. Imports the
 * packages below: {@code event}, {@code kube}, {@code select}.
 */
package dev.rbacsynth.attributes;
