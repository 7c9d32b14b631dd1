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
 * <p><b>Changing</b> is one driver per resource type, implementing the engine's
 * {@link io.terrace.reconciler.engine.ResourceDriver} (Crossplane's contract: read, create,
 * update, delete, each idempotent and done when AWS says the resource is ready), built per region
 * with that region's clients. What every driver shares — read before a create, adopt or refuse,
 * the ownership check before every update and delete — is the engine's
 * {@link io.terrace.reconciler.engine.ManagedDriver}; a driver here speaks only its service.
 *
 * <p>Each AWS service has its subpackage, holding its drivers, its observer and the helpers they
 * share: {@code acm}, {@code autoscaling}, {@code backup} (the databases' backup plans), {@code cloudfront}, {@code ecs}, {@code elasticache},
 * {@code iam}, {@code kms} (the alert keys), {@code logs}, {@code monitoring} (SNS topics and CloudWatch alarms), {@code network}
 * (the CloudFormation network stack, its prefix list and origin secret), {@code opensearch},
 * {@code rds} and {@code s3}. This package keeps what they all use: the clients of a region
 * ({@link io.terrace.reconciler.aws.AwsClients}), tags, the tagging sweep, error classification
 * and call counting.
 *
 * <p>{@link io.terrace.reconciler.aws.AwsDrivers} lists the observers; the drivers are listed
 * where the application is assembled, in {@code io.terrace.reconciler.wiring.Drivers}.
 */
package io.terrace.reconciler.aws;
