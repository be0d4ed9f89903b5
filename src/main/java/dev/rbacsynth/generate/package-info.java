/**
 * The one generator: from a subject's observed usage to verified, minimal RBAC manifests, and the
 * rule for whose request an observed request is. Used by {@code generate} and its {@code --verify},
 * by the suggestion of {@code diff}, and by the ledger. Imports {@code authorize} and the stages
 * and vocabulary below it; it sits on a level of its own below the use cases.
 */
package dev.rbacsynth.generate;
