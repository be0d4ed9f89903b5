/**
 * The Kubernetes vocabulary: subjects (user, group, service account), the identities the apiserver
 * gives them and the namespace of a binding's ServiceAccount subject, the one catalogue of built-in
 * resources (group, plural, short names, scope), the rules for object names and label values, and
 * RBAC objects (Fabric8 model) with their conversion to and from plain maps. Imports only {@code
 * event}.
 */
package dev.rbacsynth.kube;
