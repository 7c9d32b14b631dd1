package io.terrace.reconciler.daemon;

import io.terrace.drift.DriftDetector;
import io.terrace.reconciler.aws.AwsCallCounter;
import io.terrace.reconciler.cluster.ClusterNode;
import io.terrace.reconciler.cluster.ClusterOptions;
import io.terrace.reconciler.engine.Backoff;
import io.terrace.reconciler.engine.Executor;
import io.terrace.reconciler.engine.Failover;
import io.terrace.reconciler.engine.Observer;
import io.terrace.reconciler.git.GitSource;
import io.terrace.reconciler.git.SnapshotReader;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.reconciler.history.HistoryStore;
import io.terrace.reconciler.history.SchemaMigrations;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.ObjectId;
import org.quartz.Job;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The continuous reconciler (BRIEF §4): polls the spec repository, reconciles the environments
 * whose files changed, sweeps every environment for drift, and records everything. This class
 * wires the parts together and owns their lifecycle; the HTTP API reads it.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.daemon");

    /**
     * What reads and changes the world: live state, plans, applies and specs.
     *
     * @param discover environments with live resources, found without naming them (their spec
     *                 file may be gone); the drift sweep adds them to the environments it covers
     * @param lease    whether this daemon may apply an environment now (another daemon may hold its
     *                 account and region)
     */
    public record Engine(Observer observer, Executor executor, PlanFunction planner, SnapshotReader specs,
                         Supplier<Set<String>> discover, ApplyLease lease, Failover failover,
                         OriginSecretRotator originSecrets) {
        public Engine(Observer observer, Executor executor, PlanFunction planner, SnapshotReader specs,
                      Supplier<Set<String>> discover, ApplyLease lease, Failover failover) {
            this(observer, executor, planner, specs, discover, lease, failover, OriginSecretRotator.NONE);
        }

        public Engine(Observer observer, Executor executor, PlanFunction planner, SnapshotReader specs,
                      Supplier<Set<String>> discover, ApplyLease lease) {
            this(observer, executor, planner, specs, discover, lease, (env, request) -> {
                throw new Failover.Refused("this daemon cannot fail environments over");
            });
        }

        public Engine(Observer observer, Executor executor, PlanFunction planner, SnapshotReader specs,
                      Supplier<Set<String>> discover) {
            this(observer, executor, planner, specs, discover, ApplyLease.UNCONTESTED);
        }

        public Engine(Observer observer, Executor executor, PlanFunction planner, SnapshotReader specs) {
            this(observer, executor, planner, specs, Set::of);
        }
    }

    private final DaemonConfig config;
    private final Clock clock;
    private final GitSource git;
    private final HistoryStore history;
    private final HistoryWrites historyWrites;
    private final RepositoryState repository = new RepositoryState();
    private final StatusBoard statuses;
    private final DaemonMetrics metrics;
    private final DriftReportFiles reports;
    private final Optional<ClusterNode> cluster;
    private final Poller poller;
    private final DriftSweep sweep;
    private final SweepShare share;
    private final Scheduling scheduling;
    private final Notifications notifications;
    private final Random random = new Random();
    private final Failover failover;
    private final AtomicReference<Optional<String>> stopping = new AtomicReference<>(Optional.empty());

    private Daemon(DaemonConfig config, Function<RepositoryState, Engine> engines, Clock clock,
                   Optional<AwsCallCounter> awsCalls, Map<String, String> env, Optional<ClusterNode> cluster,
                   Optional<HistoryStore> injectedHistory)
            throws Exception {
        this.config = config;
        Engine engine = engines.apply(repository);
        this.failover = engine.failover();
        this.clock = clock;
        this.cluster = cluster;
        Files.createDirectories(config.data());
        this.history = injectedHistory.isPresent() ? injectedHistory.get() : cluster.isPresent()
                ? HistoryStore.open(cluster.get().database().dataSource(), () -> { }, clock)
                : HistoryStore.openEmbedded(config.data().resolve("history"), clock);
        this.git = GitSource.of(config.repo(), config.branch(), config.data().resolve("repo"), env);
        // Alone, the daemon's own passes are the only ones in its history: nothing to catch up on.
        this.statuses = cluster.isPresent() ? new StatusBoard(history, config.nodeId(), StatusBoard.CATCH_UP_EVERY)
                : new StatusBoard(history);
        this.metrics = new DaemonMetrics(clock, repository::lastSync, awsCalls);
        this.reports = new DriftReportFiles(config.data().resolve("reports"));
        Backoff.PerKey backoff = new Backoff(config.backoffBase(), config.backoffCap()).perKey(clock);
        ObservationCache observations = cluster.map(n -> ObservationCache.shared(n.observations()))
                .orElseGet(InMemoryObservations::new);
        EnvironmentLock lock = cluster.map(n -> EnvironmentLock.leases(n.leases())).orElse(EnvironmentLock.QUARTZ_ONLY);
        cluster.ifPresent(n -> engine.observer().shareDetails(n.details()));
        DriftDetector detector = new DriftDetector(clock);
        this.notifications = Notifications.from(env);
        this.poller = new Poller(git, engine.specs(), repository, metrics, notifications, clock, this::enqueue,
                this::prefetchChanged);
        this.historyWrites = new HistoryWrites(history, metrics, clock);
        EnvironmentReconciler reconciler = new EnvironmentReconciler(repository, engine.observer(), engine.planner(),
                engine.executor(), detector, historyWrites, statuses, backoff, observations, metrics, notifications, clock,
                config.nodeId(), stopping::get, this::retryAt, poller::reach, lock, engine.lease(),
                Optional.of(new OriginSecretRotations(new OriginSecretSchedule(config.originSecretMaxAge()),
                        engine.originSecrets(), repository, historyWrites, metrics, clock, config.nodeId())));
        engine.lease().register(metrics.registry());
        this.share = cluster.map(n -> SweepShare.of(n.shares(), config.driftInterval(), clock)).orElse(SweepShare.WHOLE);
        this.sweep = new DriftSweep(repository, engine.observer(), engine.discover(), detector, statuses,
                observations, reports, share, metrics, clock, name -> enqueue(name, Trigger.SWEEP));
        HistoryPruning pruning = new HistoryPruning(history, reports, config.historyRetention(), clock);
        Map<Class<? extends Job>, Supplier<Job>> jobs = Map.of(
                PollJob.class, () -> new PollJob(poller),
                DriftSweepJob.class, () -> new DriftSweepJob(sweep, pruning, this::scheduleNextSweep),
                EnvironmentJob.class, () -> new EnvironmentJob(reconciler),
                OriginSecretCheckJob.class, () -> new OriginSecretCheckJob(this::checkOriginSecrets));
        this.scheduling = new Scheduling(config.nodeId(), config.threads(), jobs, cluster);
    }

    /** Starts polling at once and sweeping after one (jittered) drift interval. */
    public static Daemon start(DaemonConfig config, Engine engine, Clock clock, Optional<AwsCallCounter> awsCalls,
                               Map<String, String> env) throws Exception {
        return start(config, repository -> engine, clock, awsCalls, env);
    }

    /**
     * Starts a daemon whose engine reads the repository state (the AWS side needs each
     * environment's region from its spec).
     */
    public static Daemon start(DaemonConfig config, Function<RepositoryState, Engine> engine, Clock clock,
                               Optional<AwsCallCounter> awsCalls, Map<String, String> env) throws Exception {
        return start(config, engine, clock, awsCalls, env, Optional.empty());
    }

    /** A daemon on a history opened by the caller (tests put a database that fails on purpose under it). */
    static Daemon start(DaemonConfig config, Function<RepositoryState, Engine> engine, Clock clock,
                        Optional<AwsCallCounter> awsCalls, Map<String, String> env, Optional<HistoryStore> history)
            throws Exception {
        Optional<ClusterNode> cluster = Optional.empty();
        Daemon d;
        try {
            if (config.cluster().isPresent()) {
                // The history's migrations run with the cluster's, under its start-up lock.
                cluster = Optional.of(ClusterNode.join(config.cluster().get(),
                        SchemaMigrations::migrate));
            }
            d = new Daemon(config, engine, clock, awsCalls, env, cluster, history);
        } catch (Exception e) {
            cluster.ifPresent(ClusterNode::close);
            throw e;
        }
        try {
            d.scheduling.start(config.poll(), d.jittered(config.driftInterval()),
                    new OriginSecretSchedule(config.originSecretMaxAge()));
        } catch (SchedulerException e) {
            d.close();
            throw e;
        }
        LoggingEventBuilder line = LOG.atInfo().setMessage("start").addKeyValue("repo", GitSource.redact(d.git.remote()))
                .addKeyValue("branch", config.branch()).addKeyValue("poll", config.poll())
                .addKeyValue("drift_interval", config.driftInterval()).addKeyValue("data", config.data())
                .addKeyValue("node", config.nodeId()).addKeyValue("history_retention", config.historyRetention())
                .addKeyValue("origin_header_max_age", config.originSecretMaxAge().map(Duration::toString).orElse("off"))
                .addKeyValue("notify", d.notifications.enabled() ? "yes" : "no")
                .addKeyValue("cluster", config.cluster().map(ClusterOptions::url).orElse("no"));
        config.cluster().ifPresent(c -> line.addKeyValue("cluster_checkin", c.checkinInterval()));
        line.log();
        return d;
    }

    /** Fetches now (a webhook); the fetch runs on the poll job, never twice at once. */
    public void pollNow() {
        try {
            scheduling.pollNow();
        } catch (SchedulerException e) {
            LOG.atWarn().setMessage("poll-trigger-failed").addKeyValue("error", e.getMessage()).log();
        }
    }

    /**
     * Queues a pass of {@code environment} now, as asked through the API: ahead of any back-off,
     * and correcting drift even under {@code drift: report}. Pause and blocked changes still hold.
     *
     * @return false for an environment the daemon does not know
     */
    public boolean syncNow(String environment) {
        return syncNow(environment, false);
    }

    /** As {@link #syncNow(String, boolean, String)} asked by {@value Trigger#API}. */
    public boolean syncNow(String environment, boolean ignoreWindow) {
        return syncNow(environment, ignoreWindow, Trigger.API);
    }

    /**
     * @param ignoreWindow apply changes that wait for the maintenance window too ({@code ?now=true})
     * @param who          who asked (the API token's name): the pass is recorded with the trigger
     *                     {@code manual:<who>}, or {@code now:<who>} when ignoring the window
     */
    public boolean syncNow(String environment, boolean ignoreWindow, String who) {
        if (statuses.find(environment).isEmpty()) {
            return false;
        }
        Trigger trigger = ignoreWindow ? Trigger.NOW : Trigger.MANUAL;
        LOG.atInfo().setMessage("sync-requested").addKeyValue("env", environment).addKeyValue("by", who)
                .addKeyValue("trigger", trigger.id()).log();
        enqueue(environment, trigger, Optional.of(who));
        return true;
    }

    /**
     * Fails {@code environment} over as {@code who} asked (the API token's name), on a thread of its own, and
     * records it in the history when done. The future ends with the lines of what was failed
     * over, or with a {@link Failover.Refused} (nothing to fail over) or another failure.
     *
     * @return empty for an environment the daemon does not know
     */
    public Optional<CompletableFuture<List<String>>> failover(String environment, Failover.Request request, String who) {
        if (statuses.find(environment).isEmpty()) {
            return Optional.empty();
        }
        Instant started = clock.instant();
        String revision = repository.snapshot().map(s -> s.revisions().getOrDefault(environment, "")).orElse("");
        return Optional.of(CompletableFuture.supplyAsync(() -> {
            try {
                List<String> done = failover.failover(environment, request);
                historyWrites.record(HistoryEntry.failover(environment, revision, who, started,
                        Duration.between(started, clock.instant()), done, Optional.empty(), config.nodeId()));
                LOG.atInfo().setMessage("failover").addKeyValue("env", environment).addKeyValue("by", who)
                        .addKeyValue("done", String.join("; ", done)).log();
                return done;
            } catch (Failover.Refused e) {
                LOG.atInfo().setMessage("failover-refused").addKeyValue("env", environment).addKeyValue("by", who)
                        .addKeyValue("reason", e.getMessage()).log();
                throw e;
            } catch (RuntimeException e) {
                historyWrites.record(HistoryEntry.failover(environment, revision, who, started,
                        Duration.between(started, clock.instant()), List.of(), Optional.of(String.valueOf(e.getMessage())),
                        config.nodeId()));
                LOG.atWarn().setMessage("failover-failed").addKeyValue("env", environment).addKeyValue("by", who)
                        .addKeyValue("error", String.valueOf(e.getMessage())).log();
                throw e;
            }
        }, runnable -> {
            Thread t = new Thread(runnable, "terrace-failover-" + environment);
            t.setDaemon(true);
            t.start();
        }));
    }

    /** Runs a drift sweep now. */
    public void sweepNow() {
        try {
            scheduling.sweepNow();
        } catch (SchedulerException e) {
            LOG.atWarn().setMessage("sweep-trigger-failed").addKeyValue("error", e.getMessage()).log();
        }
    }

    public DaemonConfig config() {
        return config;
    }

    /** The copy of the spec repository (pull request plans fetch into it too). */
    public GitSource git() {
        return git;
    }

    public RepositoryState repository() {
        return repository;
    }

    public StatusBoard statuses() {
        return statuses;
    }

    public HistoryStore history() {
        return history;
    }

    /**
     * The newest history entries of an environment, none when the history cannot be read (its
     * failure is the {@code history} condition, shown beside): a page or the API still answers.
     */
    public List<HistoryEntry> recentHistory(String environment, int limit) {
        try {
            return history.recent(environment, limit);
        } catch (RuntimeException e) {
            historyWrites.readFailed(e);
            return List.of();
        }
    }

    /** The daemon's own conditions (the history's), for the API. */
    public List<DaemonCondition> conditions() {
        return List.of(historyWrites.condition());
    }

    public DaemonMetrics metrics() {
        return metrics;
    }

    public DriftReportFiles reports() {
        return reports;
    }

    /** The newest drift report (JSON): this daemon's, or in a cluster every node's share gathered. */
    public Optional<String> driftReport() {
        return share.report(reports);
    }

    public Optional<PollResult> lastPoll() {
        return poller.last();
    }

    /** Why the daemon is stopping, once {@link #close()} has begun. */
    public Optional<String> stopping() {
        return stopping.get();
    }

    /** Polls finished since start. */
    public long polls() {
        return poller.completed();
    }

    /**
     * The start-up's observe (of the whole fleet, or of a cluster node's claims) stands for a
     * sweep's: the daemon makes its first sweep due one interval after it ends (at 1,000
     * environments it can outlast the interval).
     */
    private void prefetch(java.util.Set<String> names, boolean startUp) {
        sweep.prefetch(names, startUp);
        if (startUp) {
            scheduleNextSweep();
        }
    }

    /** When the periodic check of origin secrets fires next; empty while rotation is off. */
    Optional<Instant> nextOriginSecretCheck() {
        try {
            return scheduling.nextOriginSecretCheck();
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Drift sweeps finished since start. */
    public long sweeps() {
        return sweep.completed();
    }

    /** git fetches done since start: one per poll. */
    public long fetches() {
        return git.fetchCount();
    }

    /** No environment pass running on this node, and none due or starting (on any node of a cluster). */
    public boolean idle() {
        try {
            return scheduling.idle();
        } catch (SchedulerException e) {
            return false;
        }
    }

    /**
     * Asks for a pass of an environment at the commit this node read last. In a cluster every
     * node polls and sees the same change; only the node that claims (environment, commit) first
     * asks for the pass.
     */
    private void enqueue(String environment, Trigger trigger) {
        enqueue(environment, trigger, Optional.empty());
    }

    private void enqueue(String environment, Trigger trigger, Optional<String> who) {
        statuses.get(environment);
        if (stopping.get().isPresent()) {
            return;
        }
        Optional<String> commit = repository.commit().map(ObjectId::name);
        if (trigger == Trigger.CHANGE && commit.isPresent() && !claimed(environment, commit.get())) {
            return;
        }
        schedule(environment, who.map(w -> PassRequest.of(trigger, commit, w))
                .orElseGet(() -> PassRequest.of(trigger, commit)));
    }

    /**
     * A start or a commit touching many environments: one batched observe of them before their
     * passes. A cluster node claims its share first and observes only that: it queues the passes
     * of the environments it claimed here and settles every one of {@code names} (the others are
     * another node's), so the poll claims none of them again. Claiming again would win the claims
     * that outlived the drift interval while the observe ran (a start-up's observe of 1,000
     * environments takes about a minute) and queue a second pass of each.
     */
    private java.util.Set<String> prefetchChanged(java.util.Set<String> names, boolean startUp) {
        if (cluster.isEmpty()) {
            prefetch(names, startUp);
            return java.util.Set.of();
        }
        Optional<String> commit = repository.commit().map(ObjectId::name);
        if (commit.isEmpty() || stopping.get().isPresent()) {
            return java.util.Set.of();
        }
        java.util.Set<String> mine = names.stream().filter(env -> claimed(env, commit.get()))
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        if (mine.size() > 1) {
            prefetch(mine, startUp);
        }
        for (String env : mine) {
            statuses.get(env);
            schedule(env, PassRequest.of(Trigger.CHANGE, commit));
        }
        names.forEach(statuses::get);
        return names;
    }

    /**
     * Whether this node runs the pass of {@code environment} at {@code commit}: always when alone;
     * in a cluster, when it is the first to claim it.
     */
    private boolean claimed(String environment, String commit) {
        try {
            return cluster.isEmpty() || cluster.get().claims().claim(environment, commit, config.driftInterval());
        } catch (IllegalStateException e) {
            LOG.atWarn().setMessage("enqueue-failed").addKeyValue("env", environment).addKeyValue("error", e.getMessage()).log();
            return false;
        }
    }

    private void schedule(String environment, PassRequest request) {
        try {
            scheduling.runEnvironment(environment, request, Duration.ZERO);
        } catch (SchedulerException | IllegalStateException e) {
            LOG.atWarn().setMessage("enqueue-failed").addKeyValue("env", environment).addKeyValue("error", e.getMessage()).log();
        }
    }

    /**
     * Schedules a pass for later. A stopping node of a cluster still schedules: the pass is in the
     * database and another node runs it (a pass the shutdown stopped is handed over this way).
     */
    private void retryAt(String environment, Instant at, PassRequest request) {
        if (stopping.get().isPresent() && cluster.isEmpty()) {
            return;
        }
        try {
            scheduling.runEnvironment(environment, request, Duration.between(clock.instant(), at));
        } catch (SchedulerException e) {
            LOG.atWarn().setMessage("retry-schedule-failed").addKeyValue("env", environment).addKeyValue("error", e.getMessage()).log();
        }
    }

    /**
     * The periodic check of origin secrets: asks a {@link Trigger#ROTATE_ORIGIN_SECRET} pass of each
     * environment with a valid spec (one without has no region to rotate in).
     */
    private void checkOriginSecrets() {
        repository.snapshot().ifPresent(s -> s.specs().results().stream()
                .filter(io.terrace.schema.SpecResult.Valid.class::isInstance)
                .map(io.terrace.schema.SpecResult::name)
                .forEach(name -> enqueue(name, Trigger.ROTATE_ORIGIN_SECRET)));
    }

    private void scheduleNextSweep() {
        if (stopping.get().isPresent()) {
            return;
        }
        try {
            scheduling.scheduleSweep(jittered(config.driftInterval()));
        } catch (SchedulerException e) {
            LOG.atWarn().setMessage("sweep-schedule-failed").addKeyValue("error", e.getMessage()).log();
        }
    }

    private Duration jittered(Duration interval) {
        double factor = 1 + config.sweepJitter() * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.max(1, (long) (interval.toMillis() * factor)));
    }

    /**
     * Stops cleanly: no new passes, running applies end after their current wave (their stop
     * signal says so), then the history is closed. Live state is the truth the next start
     * converges from.
     */
    @Override
    public void close() {
        if (stopping.getAndSet(Optional.of("daemon shutting down")).isPresent()) {
            return;
        }
        LOG.atInfo().setMessage("stopping").addKeyValue("node", config.nodeId()).log();
        try {
            scheduling.close();
        } catch (SchedulerException e) {
            LOG.atWarn().setMessage("stop-failed").addKeyValue("error", e.getMessage()).log();
        }
        notifications.close();
        git.close();
        history.close();
        cluster.ifPresent(ClusterNode::close);
        LOG.atInfo().setMessage("stopped").addKeyValue("node", config.nodeId()).log();
    }
}
