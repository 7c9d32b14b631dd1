/**
 * Where the apply side is assembled: which drivers exist ({@link io.terrace.reconciler.wiring.Drivers},
 * one line per resource type) and which executor applies a plan
 * ({@link io.terrace.reconciler.wiring.RegionalExecutor}, one per region, in the region the plan
 * names). The commands and the daemon use it; neither {@code engine} nor {@code aws} depends on it.
 */
package io.terrace.reconciler.wiring;
