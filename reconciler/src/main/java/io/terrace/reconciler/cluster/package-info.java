/**
 * Several daemons sharing the environments of one spec repository through PostgreSQL.
 *
 * <p>A single daemon keeps its schedule in Quartz's in-memory store and its history in H2.
 * With {@code --cluster jdbc:postgresql://HOST/DB} the daemon ({@code io.terrace.reconciler.daemon})
 * joins a cluster through {@link io.terrace.reconciler.cluster.ClusterNode}: its work scheduler
 * (environment jobs, the drift sweep) moves to Quartz's clustered JDBC job store
 * ({@link io.terrace.reconciler.cluster.ClusterSchedulerProperties}) and its history to the same
 * database; each node keeps its own git clone and its own in-memory poll scheduler. What a pass
 * is for travels in its trigger's job data, so any node can run it or recover it. What the
 * cluster adds, and where:
 *
 * <ul>
 *   <li><b>Joining</b> ({@link io.terrace.reconciler.cluster.ClusterNode}): one pool per node
 *       ({@link io.terrace.reconciler.cluster.ClusterDatabase}); the schema created or migrated
 *       by Flyway under an advisory lock ({@link io.terrace.reconciler.cluster.ClusterSchema}),
 *       the Quartz tables coming from the
 *       script the Quartz jar ships ({@link io.terrace.reconciler.cluster.QuartzTables}), the
 *       history's own migrations run as a step under the same lock.</li>
 *   <li><b>One node per environment at a time</b>: Quartz runs a
 *       {@code @DisallowConcurrentExecution} job once across the cluster, and recovers the jobs
 *       (marked {@code requestRecovery}) of a node that stops checking in; an advisory-lock lease
 *       ({@link io.terrace.reconciler.cluster.EnvironmentLeases}) held for the whole pass fences
 *       a node that Quartz wrongly believes dead.</li>
 *   <li><b>No multiplied work</b>: a change seen by every node's poll is claimed by one
 *       ({@link io.terrace.reconciler.cluster.ChangeClaims}); the drift sweep is one
 *       cluster-wide job whose batched observation reaches each environment's pass on any
 *       node ({@link io.terrace.reconciler.cluster.SharedObservations}), and the details an
 *       observer keeps between observes are read once per interval for the whole cluster
 *       ({@link io.terrace.reconciler.cluster.SharedDetailReads}).</li>
 * </ul>
 *
 * <p>Every time the cluster compares comes from the database's clock, except Quartz's own
 * check-ins and the times the details were read, which use each node's clock: nodes need
 * synchronised clocks.
 */
package io.terrace.reconciler.cluster;
