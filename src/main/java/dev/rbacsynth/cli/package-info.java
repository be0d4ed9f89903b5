/**
 * The commands ({@code generate}, {@code diff}, {@code can-i}), their options, exit codes and the
 * launcher's start-up work. The top of the tree: may import every package, nothing imports it.
 */
package dev.rbacsynth.cli;
