/**
 * The use case behind {@code can-i}: the {@code VERB RESOURCE[.GROUP][/SUBRESOURCE] [NAME]}
 * argument and what a user may do in a namespace ({@code --list}). Imports {@code authorize} and
 * everything below it; not {@code review} (same level) nor {@code report} and {@code cli}.
 */
package dev.rbacsynth.cani;
