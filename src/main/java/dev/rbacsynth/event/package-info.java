/**
 * The audit event model: {@code audit.k8s.io} {@code Event} (its stage, user, impersonated user,
 * object reference and the parts of the request body the authorizer needs), as one set of records
 * every reader produces. The bottom of the tree: imports no other package of rbac-synth.
 */
package dev.rbacsynth.event;
