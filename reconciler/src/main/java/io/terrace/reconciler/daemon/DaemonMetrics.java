package io.terrace.reconciler.daemon;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.terrace.drift.Health;
import io.terrace.reconciler.aws.AwsCallCounter;
import io.terrace.reconciler.aws.AwsRateLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The daemon's Prometheus metrics: passes, applies and failures per environment, drifted
 * resources per environment and component, each environment's health, AWS calls per service, git fetches, reads of the
 * branch head that failed (and whether the head is unreadable now) and the age of the last
 * successful sync with the repository.
 */
public final class DaemonMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Optional<AwsCallCounter> awsCalls;
    private final Set<String> awsServices = ConcurrentHashMap.newKeySet();
    private final Set<String> awsOperations = ConcurrentHashMap.newKeySet();
    private final AwsRateLimits rateLimits;
    private final Set<String> limitedOperations = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> drifted = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> health = new ConcurrentHashMap<>();
    private final Counter fetches;
    private final Counter fetchFailures;
    private final Timer fetchTime;
    private final Counter readFailures;
    private final AtomicInteger headUnreadable = new AtomicInteger();
    private final AtomicInteger sweptEnvironments = new AtomicInteger();
    private final AtomicInteger fetchFailing = new AtomicInteger();

    public DaemonMetrics(Clock clock, Supplier<Optional<java.time.Instant>> lastSync, Optional<AwsCallCounter> awsCalls) {
        this(clock, lastSync, awsCalls, AwsRateLimits.configured());
    }

    /** @param rateLimits the token buckets whose waits {@code terrace_aws_rate_limit_wait_seconds_total} reports */
    public DaemonMetrics(Clock clock, Supplier<Optional<java.time.Instant>> lastSync, Optional<AwsCallCounter> awsCalls,
            AwsRateLimits rateLimits) {
        this.awsCalls = awsCalls;
        this.rateLimits = rateLimits;
        this.fetches = Counter.builder("terrace.git.fetches").description("git fetches of the spec repository")
                .register(registry);
        this.fetchFailures = Counter.builder("terrace.git.fetch.failures").description("git fetches that failed")
                .register(registry);
        this.fetchTime = Timer.builder("terrace.git.fetch").description("duration of one git fetch")
                .register(registry);
        this.readFailures = Counter.builder("terrace.git.read.failures")
                .description("fetched heads of the branch whose specs could not be read").register(registry);
        Gauge.builder("terrace.git.head.unreadable", headUnreadable, AtomicInteger::get)
                .description("1 while the head of the branch cannot be read (nothing is applied), else 0")
                .register(registry);
        Gauge.builder("terrace.git.fetch.failing", fetchFailing, AtomicInteger::get)
                .description("1 while the last fetch of the spec repository failed (the last commit read stays in force), else 0")
                .register(registry);
        Gauge.builder("terrace.seconds.since.last.sync", () -> lastSync.get()
                        .map(t -> Duration.between(t, clock.instant()).toMillis() / 1000.0)
                        .orElse(Double.NaN))
                .description("seconds since the last successful fetch of the spec repository")
                .register(registry);
        Gauge.builder("terrace.drift.sweep.environments", sweptEnvironments, AtomicInteger::get)
                .description("environments covered by the last drift sweep (0 before the first)").register(registry);
    }

    /**
     * A scheduled rotation of an origin secret ended: {@code terrace_origin_secret_rotations_total{result}},
     * result {@code succeeded} or {@code failed}.
     */
    public void originSecretRotated(boolean succeeded) {
        Counter.builder("terrace.origin.secret.rotations").description("scheduled rotations of origin secrets")
                .tag("result", succeeded ? "succeeded" : "failed").register(registry).increment();
    }

    /**
     * A scheduled check of an environment's origin secret ended:
     * {@code terrace_origin_secret_checks_total{environment,result}}, result {@code held} (held as an
     * apply is, no AWS call), {@code fresh} (described, nothing to rotate), {@code rotated} or
     * {@code failed} (the describe or the rotation failed).
     */
    public void originSecretChecked(String environment, String result) {
        Counter.builder("terrace.origin.secret.checks").description("scheduled checks of origin secrets, by what they decided")
                .tags("environment", environment, "result", result).register(registry).increment();
    }

    /** A history write failed; the pass went on without it. */
    public void historyWriteFailed() {
        Counter.builder("terrace.history.write.failures")
                .description("history writes that failed; the passes went on without them")
                .register(registry).increment();
    }

    /** 1 while history writes succeed, 0 from a failed write until the next one succeeds. */
    void historyWritable(java.util.function.BooleanSupplier writable) {
        Gauge.builder("terrace.history.writable", () -> writable.getAsBoolean() ? 1 : 0)
                .description("1 while history writes succeed, 0 while they fail")
                .register(registry);
    }

    public void fetched(Duration took) {
        fetches.increment();
        fetchTime.record(took);
        fetchFailing.set(0);
    }

    public void fetchFailed(Duration took) {
        fetches.increment();
        fetchFailures.increment();
        fetchTime.record(took);
        fetchFailing.set(1);
    }

    /** The fetched head could not be read: applies stop until one can. */
    public void headUnreadable() {
        readFailures.increment();
        headUnreadable.set(1);
    }

    /** A head was read. */
    public void headRead() {
        headUnreadable.set(0);
    }

    public double fetchCount() {
        return fetches.count();
    }

    /**
     * A drift sweep's batched observe of {@code environments} ended after {@code took}: counts
     * sweeps ({@code terrace_drift_sweeps_total}) and times their observe
     * ({@code terrace_drift_sweep_observe_seconds}) and the environments they covered
     * ({@code terrace_drift_swept_environments_total}); its passes follow on the workers.
     */
    public void swept(int environments, Duration took) {
        Counter.builder("terrace.drift.sweeps").description("drift sweeps whose batched observe finished")
                .register(registry).increment();
        Timer.builder("terrace.drift.sweep.observe").description("duration of a drift sweep's batched observe")
                .register(registry).record(took);
        Counter.builder("terrace.drift.swept.environments").description("environments covered by drift sweeps")
                .register(registry).increment(environments);
        sweptEnvironments.set(environments);
    }

    /**
     * A pass could not start on this node and is asked again {@link EnvironmentReconciler#RECHECK} later:
     * {@code terrace_passes_deferred_total{environment,reason}}, reason {@code behind} (the commit is
     * not fetched here yet) or {@code leased} (another node holds the environment).
     */
    public void deferred(String environment, String reason) {
        Counter.builder("terrace.passes.deferred").description("passes that could not start on this node, asked again later")
                .tags("environment", environment, "reason", reason).register(registry).increment();
    }

    /** One reconcile pass of an environment ended with this plan outcome. */
    public void reconciled(String environment, String outcome) {
        Counter.builder("terrace.reconciles").description("reconcile passes, by plan outcome")
                .tags("environment", environment, "outcome", outcome).register(registry).increment();
    }

    public void applied(String environment, String outcome) {
        Counter.builder("terrace.applies").description("applies, by outcome")
                .tags("environment", environment, "outcome", outcome).register(registry).increment();
    }

    public void failed(String environment) {
        Counter.builder("terrace.failures").description("failed passes; each starts or lengthens a back-off")
                .tags("environment", environment).register(registry).increment();
    }

    /** Sets the drifted-resource gauges of one environment; components not listed drop to 0. */
    public void drifted(String environment, Map<String, Integer> byComponent) {
        drifted.forEach((key, value) -> {
            if (key.startsWith(environment + "\u0000") && !byComponent.containsKey(key.substring(environment.length() + 1))) {
                value.set(0);
            }
        });
        byComponent.forEach((component, count) -> drifted.computeIfAbsent(environment + "\u0000" + component, k -> {
            AtomicInteger n = new AtomicInteger();
            Gauge.builder("terrace.drifted.resources", n, AtomicInteger::get)
                    .description("resources whose live state differs from the applied spec")
                    .tags(Tags.of("environment", environment, "component", component))
                    .register(registry);
            return n;
        }).set(count));
    }

    /**
     * Sets {@code terrace_environment_health{environment,health}}: 1 for the environment's health,
     * 0 for the others (one series per value, as kube-state-metrics spells an enum).
     */
    public void health(String environment, Health now) {
        for (Health h : Health.values()) {
            health.computeIfAbsent(environment + "\u0000" + h.id(), k -> {
                AtomicInteger n = new AtomicInteger();
                Gauge.builder("terrace.environment.health", n, AtomicInteger::get)
                        .description("1 for the environment's current health, 0 for the other values")
                        .tags(Tags.of("environment", environment, "health", h.id()))
                        .register(registry);
                return n;
            }).set(h == now ? 1 : 0);
        }
    }

    public double value(String name, String... tags) {
        var search = registry.find(name).tags(tags);
        Counter c = search.counter();
        if (c != null) {
            return c.count();
        }
        Gauge g = search.gauge();
        return g == null ? 0 : g.value();
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        awsCalls.ifPresent(counter -> {
            counter.snapshot().keySet().forEach(call -> {
                if (awsOperations.add(call)) {
                    int colon = call.indexOf(':');
                    FunctionCounter.builder("terrace.aws.calls", counter, c -> c.calls(call))
                            .description("AWS API calls sent, retries included")
                            .tags("service", call.substring(0, colon), "operation", call.substring(colon + 1))
                            .register(registry);
                }
            });
            counter.byService().keySet().forEach(service -> {
                if (awsServices.add(service)) {
                    FunctionCounter.builder("terrace.aws.call.seconds", counter,
                                    c -> c.secondsByService().getOrDefault(service, 0.0))
                            .description("time AWS API calls spent on the wire (sent to answered), retries included")
                            .tags("service", service)
                            .register(registry);
                }
            });
        });
        rateLimits.secondsWaited().keySet().forEach(call -> {
            if (limitedOperations.add(call)) {
                int colon = call.indexOf(':');
                FunctionCounter.builder("terrace.aws.rate.limit.wait.seconds", rateLimits,
                                l -> l.secondsWaited().getOrDefault(call, 0.0))
                        .description("time AWS API calls waited in Terrace's token buckets before they were sent")
                        .tags("service", call.substring(0, colon), "operation", call.substring(colon + 1))
                        .register(registry);
            }
        });
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
