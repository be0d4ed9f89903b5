/**
 * The one reading entry point: it wires the stages read, select, attributes and aggregate for one
 * subject, many or all, with the read statistics, the problem log ({@code --strict}) and the
 * progress line. Its job is to turn audit log files into {@code ObservedUsage}; it sits just above
 * {@code aggregate} and imports only the packages below it.
 */
package dev.rbacsynth.pipeline;
