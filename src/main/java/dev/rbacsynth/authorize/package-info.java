/**
 * The one RBAC authorizer, with upstream's semantics: rule matching, bindings and their subjects,
 * aggregated ClusterRoles, the default policy every authenticated user holds, the grants a rule
 * gives and the ones a binding can never use, and the proof that a generated policy is exact
 * ({@code --verify}). Imports every stage below it (in practice {@code attributes}, {@code read},
 * {@code kube}, {@code event}).
 */
package dev.rbacsynth.authorize;
