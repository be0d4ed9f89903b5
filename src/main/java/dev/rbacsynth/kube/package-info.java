/**
 * The Kubernetes vocabulary: subjects (user, group, service account) and the identities the
 * apiserver gives them, the built-in resources and their scope, the rules for object names and
 * label values, and RBAC objects (Fabric8 model) with their conversion to and from plain maps.
 * Imports only {@code event}.
 */
package dev.rbacsynth.kube;
