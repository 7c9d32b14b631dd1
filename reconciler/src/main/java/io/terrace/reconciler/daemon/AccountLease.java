package io.terrace.reconciler.daemon;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.reconciler.aws.AwsErrors;
import io.terrace.reconciler.aws.LeaseTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;

/**
 * The lease a daemon without {@code --cluster} holds in each AWS account and region it applies
 * to, so that two daemons pointed at the same account never correct each other's applies. It
 * lives in AWS ({@link LeaseTable}), is taken at the first pass that wants to apply, renewed
 * every third of its time to live, released on a clean stop, and simply expires when its holder
 * dies. Expiry is judged on the injected clock.
 */
public final class AccountLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.daemon");

    /** What this daemon last learnt of one region's lease. */
    private record State(ApplyLease.Standing standing, Instant checkedAt, Instant acquiredAt, String holder) {}

    private final Function<Region, LeaseTable> tables;
    private final LeaseTable.Claimant me;
    private final Duration ttl;
    private final Clock clock;
    private final Map<Region, State> regions = new ConcurrentHashMap<>();
    private volatile Optional<MeterRegistry> metrics = Optional.empty();
    private volatile Optional<ScheduledExecutorService> renewer = Optional.empty();
    private volatile boolean logged = true;

    /**
     * @param tables the lease table of each region (the account is the one the AWS credentials name)
     * @param me     this daemon: a unique owner, its node id, and the repository and branch it follows
     */
    public AccountLease(Function<Region, LeaseTable> tables, LeaseTable.Claimant me, Duration ttl, Clock clock) {
        if (ttl.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new IllegalArgumentException("--lease-ttl must be at least 3s");
        }
        this.tables = tables;
        this.me = me;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Keeps the lease's log lines out of a command's output: the command says what matters itself. */
    public AccountLease unlogged() {
        logged = false;
        return this;
    }

    /** The item of a region's lease in its table: one per account and region. */
    public static String id(Region region) {
        return "apply/" + region.id();
    }

    /**
     * The {@link ApplyLease} of plans: the lease of the region each plan names. A plan that names
     * none cannot be applied anywhere, so its lease is never taken (fail closed).
     */
    public ApplyLease forPlans() {
        return new ApplyLease() {
            @Override
            public Standing standing(EnvironmentPlan plan) {
                return region(plan).map(AccountLease.this::standing)
                        .orElseGet(() -> new Standing.Unreadable("the plan of " + plan.name() + " names no region"));
            }

            @Override
            public Optional<String> lost(EnvironmentPlan plan) {
                return region(plan).flatMap(AccountLease.this::lost);
            }

            @Override
            public void register(MeterRegistry registry) {
                metrics = Optional.of(registry);
                regions.keySet().forEach(r -> gauge(registry, r));
            }
        };
    }

    /**
     * The lease of {@code region}: held ones are renewed once a third of their time to live has
     * passed, anyone else's is asked for again (it may have expired or been released).
     */
    public synchronized ApplyLease.Standing standing(Region region) {
        State s = regions.get(region);
        Instant now = clock.instant();
        if (s != null && s.standing() instanceof ApplyLease.Standing.Held && now.isBefore(s.checkedAt().plus(renewal()))) {
            return s.standing();
        }
        return check(region, now);
    }

    /** Renews every lease this daemon holds (the renewal thread, and tests on their own clock). */
    public synchronized void renew() {
        Instant now = clock.instant();
        List.copyOf(regions.keySet()).forEach(r -> {
            if (regions.get(r).standing() instanceof ApplyLease.Standing.Held) {
                check(r, now);
            }
        });
    }

    /** Renews held leases every third of their time to live, on a thread of its own, until closed. */
    public AccountLease startRenewing() {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "terrace-lease-renewal");
            t.setDaemon(true);
            return t;
        });
        long period = renewal().toMillis();
        s.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
        renewer = Optional.of(s);
        return this;
    }

    /** Why an apply under way must stop before its next wave: the lease is lost or ran out. */
    public Optional<String> lost(Region region) {
        State s = regions.get(region);
        if (s == null || !(s.standing() instanceof ApplyLease.Standing.Held)) {
            return Optional.of("lease of " + region.id() + " lost" + (s == null ? "" : ": " + s.holder()));
        }
        if (!clock.instant().isBefore(s.checkedAt().plus(ttl))) {
            return Optional.of("lease of " + region.id() + " expired: not renewed since " + s.checkedAt());
        }
        return Optional.empty();
    }

    /** Gives up every lease held, so that another daemon takes over at once rather than at expiry. */
    @Override
    public synchronized void close() {
        renewer.ifPresent(ScheduledExecutorService::shutdownNow);
        regions.forEach((region, s) -> {
            if (s.standing() instanceof ApplyLease.Standing.Held) {
                try {
                    tables.apply(region).release(id(region), me);
                    if (logged) {
                        LOG.atInfo().setMessage("lease-released").addKeyValue("region", region.id()).log();
                    }
                } catch (SdkException e) {
                    LOG.atWarn().setMessage("lease-release-failed").addKeyValue("region", region.id())
                            .addKeyValue("error", AwsErrors.describe(e)).addKeyValue("expires_in", ttl).log();
                }
            }
        });
        regions.clear();
    }

    private static Optional<Region> region(EnvironmentPlan plan) {
        return plan.region().map(Region::of);
    }

    private Duration renewal() {
        return ttl.dividedBy(3);
    }

    private ApplyLease.Standing check(Region region, Instant now) {
        State old = regions.get(region);
        Instant acquired = old != null && old.standing() instanceof ApplyLease.Standing.Held ? old.acquiredAt() : now;
        State state;
        try {
            LeaseTable.Lease lease = tables.apply(region).take(id(region), me, acquired, now, ttl);
            state = lease.heldBy(me)
                    ? new State(new ApplyLease.Standing.Held(), now, lease.acquiredAt(), "this node")
                    : new State(new ApplyLease.Standing.Locked(lease.describe(), lease.expiresAt()), now, now,
                            lease.describe());
        } catch (SdkException e) {
            String reason = "lease unreadable: " + LeaseTable.TABLE + " in " + region.id() + ": " + AwsErrors.describe(e);
            state = new State(new ApplyLease.Standing.Unreadable(reason), now, now, reason);
        }
        if (logged && (old == null || !old.holder().equals(state.holder()))) {
            LOG.atInfo().setMessage("lease").addKeyValue("region", region.id()).addKeyValue("holder", state.holder())
                    .addKeyValue("node", me.node()).log();
        }
        if (old == null) {
            metrics.ifPresent(m -> gauge(m, region));
        }
        regions.put(region, state);
        return state.standing();
    }

    private void gauge(MeterRegistry registry, Region region) {
        Gauge.builder("terrace.lease.held", () -> {
                    State s = regions.get(region);
                    return s != null && s.standing() instanceof ApplyLease.Standing.Held ? 1 : 0;
                })
                .description("1 while this daemon holds the apply lease of the region, 0 while another holds it "
                        + "or it cannot be read")
                .tag("region", region.id())
                .register(registry);
    }
}
