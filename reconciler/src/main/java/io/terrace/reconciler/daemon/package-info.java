/**
 * The continuous reconciler: how {@code terrace daemon} turns commits and live AWS state into
 * applies, one environment at a time.
 *
 * <h2>Four kinds of work, all Quartz jobs</h2>
 *
 * <ul>
 *   <li><b>The poll</b> ({@link io.terrace.reconciler.daemon.Poller}, run by {@code PollJob}):
 *       one git fetch per interval or webhook, whatever the number of environments. When the
 *       branch moved, the new commit is read once into the {@link io.terrace.reconciler.daemon.RepositoryState}
 *       and each environment whose file (or the {@code PAUSE} file) changed is queued with the
 *       {@link io.terrace.reconciler.daemon.Trigger#CHANGE} trigger. A head that cannot be read
 *       fails closed: it counts as a repository-wide pause until a readable commit arrives, so
 *       nothing is applied from the older commit still held.</li>
 *   <li><b>The drift sweep</b> ({@link io.terrace.reconciler.daemon.DriftSweep}): one batched
 *       observe of every environment (a cluster node's: of its share, {@link io.terrace.reconciler.daemon.SweepShare}),
 *       a drift report, then a {@code SWEEP} pass of each; the
 *       passes plan from the sweep's observation ({@link io.terrace.reconciler.daemon.ObservationCache})
 *       instead of observing again. History pruning rides on it.</li>
 *   <li><b>A pass of one environment</b> ({@code EnvironmentJob}, one Quartz job per
 *       environment, so never two at once): {@link io.terrace.reconciler.daemon.EnvironmentReconciler}
 *       runs the named steps of a {@link io.terrace.reconciler.daemon.ReconcilePass} — catch up,
 *       lock, snapshot, validate, observe, plan, decide, apply — each step returning what the next
 *       needs, ending in an immutable {@link io.terrace.reconciler.daemon.PassOutcome} — then
 *       record ({@link io.terrace.reconciler.daemon.OutcomePublisher}). Requests that arrive while
 *       one waits merge into it ({@link io.terrace.reconciler.daemon.PassRequest}).</li>
 *   <li><b>The origin secret check</b> ({@code OriginSecretCheckJob}, hourly, one for a whole
 *       cluster): queues a {@link io.terrace.reconciler.daemon.Trigger#ROTATE_ORIGIN_SECRET} pass
 *       of each environment, whose job then checks the secret's age and rotates it
 *       ({@link io.terrace.reconciler.daemon.OriginSecretRotations}) under the same lock as its
 *       applies, held by what holds them ({@link io.terrace.reconciler.daemon.OriginSecretSchedule}).</li>
 * </ul>
 *
 * <h2>What a pass decides</h2>
 *
 * {@code decide} turns the plan into a {@link io.terrace.reconciler.daemon.Decision}: hold it with
 * a {@link io.terrace.reconciler.daemon.Condition} (invalid, paused, synced, blocked, drift only
 * reported) or apply it. Terminal problems hold; transient ones (AWS errors, a failed step) fail
 * the pass and back the environment off ({@link io.terrace.reconciler.engine.Backoff.PerKey}); a new
 * revision and a sync asked for through the API go ahead of the back-off. An apply also needs the
 * {@link io.terrace.reconciler.daemon.ApplyLease} of the environment's account and region: while
 * another daemon holds it ({@link io.terrace.reconciler.daemon.AccountLease}, in DynamoDB), the
 * plan is held as {@code locked by …} and the pass asked again when that lease would expire.
 * {@code record} writes the outcome to the history, the metrics, the back-off, the
 * {@link io.terrace.reconciler.daemon.StatusBoard} the API serves and the notifications, one small
 * part each; a history that cannot be written skips only the history
 * ({@link io.terrace.reconciler.daemon.HistoryWrites}).
 *
 * <h2>Where the outside world enters</h2>
 *
 * The AWS side is an {@code Observer} and an {@code Executor} from the engine package
 * ({@link io.terrace.reconciler.daemon.RegionalAws} in production, an in-memory cloud in tests);
 * git is a {@code GitSource}; time is an injected {@link java.time.Clock}. In a cluster the same
 * jobs run on Quartz's JDBC store and a lease per environment keeps each pass on one node (see the
 * {@code cluster} package).
 */
package io.terrace.reconciler.daemon;
