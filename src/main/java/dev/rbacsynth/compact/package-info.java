/**
 * The fifth stage: from observed requests to minimal rules: leave out what the default grants
 * already allow (supplied from above as {@link dev.rbacsynth.compact.AlreadyGranted}), apply the
 * chosen expansions and compact the rest into sorted rules grouped by namespace. Imports the stages
 * below and the vocabulary; not the authorizer.
 */
package dev.rbacsynth.compact;
