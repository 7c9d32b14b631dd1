/**
 * The apply engine and the contracts it calls. {@link io.terrace.reconciler.engine.PlanExecutor}
 * runs one environment's plan wave by wave; each step goes through
 * {@link io.terrace.reconciler.engine.ManagedDriver}, which reads before a create, adopts what an
 * interrupted apply left or refuses what is not Terrace's, waits for a resource on its way out,
 * and checks {@link io.terrace.reconciler.engine.Ownership} before every update and delete, then
 * hands the rest to the {@link io.terrace.reconciler.engine.ResourceDriver} of the resource's
 * type. The package defines those interfaces and imports no AWS SDK: drivers implement them in
 * {@code aws}, and {@code wiring} puts the two together.
 */
package io.terrace.reconciler.engine;
