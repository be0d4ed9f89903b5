/**
 * The last stage: the generated rules as Kubernetes objects (Roles, ClusterRoles and their
 * bindings, with names, labels and annotations from templates), written as YAML or a JSON {@code
 * List}, and files replaced atomically. Imports {@code compact}, {@code kube}, {@code yaml} and the
 * levels below.
 */
package dev.rbacsynth.write;
