/**
 * Every renderer: the {@code diff} report as aligned text, Markdown and JSON, the denied-requests
 * report (text, Markdown, JSON), the {@code can-i --list} table, and the wording they share.
 * Imports the use cases and everything below them; only {@code cli} is above it.
 */
package dev.rbacsynth.report;
