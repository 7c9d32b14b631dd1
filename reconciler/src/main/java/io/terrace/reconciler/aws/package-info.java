/**
 * Terrace's AWS side: reading live state and changing it, through the AWS SDK for Java v2.
 *
 * <p><b>Reading</b> is one {@link io.terrace.reconciler.aws.ServiceObserver} per AWS service,
 * each sweeping its service once for many environments (list and batch-describe pages, the
 * Resource Groups Tagging API for tags a describe call lacks, detail reads only where AWS has no
 * batch call) and returning {@code ObservedResource}s under the same addresses the planner
 * compiles ({@link io.terrace.reconciler.aws.Addresses}). {@link io.terrace.reconciler.aws.AwsObserver}
 * runs them for one region, {@link io.terrace.reconciler.aws.AwsRegions} for every region.
 * docs/aws.md lists each service's calls and what a full observe costs.
 *
 * <p><b>Changing</b> is one {@link io.terrace.reconciler.aws.ResourceDriver} per resource type
 * (Crossplane's contract: create, update, delete, each idempotent and done when AWS says the
 * resource is ready), run wave by wave by the engine's {@code PlanExecutor}. Every driver applies
 * {@link io.terrace.reconciler.aws.Ownership} before it modifies or deletes anything: no
 * {@code terrace:managed-by} and {@code terrace:environment} tags, no change.
 *
 * <p>{@link io.terrace.reconciler.aws.AwsDrivers} is the one list of both: a new kind of resource
 * is one driver and, if a new service is read, one observer there.
 */
package io.terrace.reconciler.aws;
