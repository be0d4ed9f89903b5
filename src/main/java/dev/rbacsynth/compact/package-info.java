/**
 * The fifth stage: from the requests that need a rule to minimal rules: apply the chosen expansions
 * and compact the rest into sorted rules grouped by namespace. Imports the stages below and the
 * vocabulary; not the authorizer (the generator, above it, leaves out what the default grants
 * allow).
 */
package dev.rbacsynth.compact;
