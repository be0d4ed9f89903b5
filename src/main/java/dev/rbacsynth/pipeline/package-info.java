/**
 * The one reading entry point, {@link dev.rbacsynth.pipeline.UsageReader}: it wires the stages
 * read, select, attributes and aggregate for one subject, several or every subject of the log, with
 * the read statistics, the problem log ({@code --strict}) and the progress line. Its one job is to
 * turn audit log files into {@code ObservedUsage}; it sits just above {@code aggregate} and imports
 * only the packages below it.
 */
package dev.rbacsynth.pipeline;
