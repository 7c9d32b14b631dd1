package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.elasticache.CacheFailover;
import io.terrace.reconciler.aws.rds.RdsFailover;
import io.terrace.reconciler.engine.Failover;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@link Failover} in one region: the database first ({@link RdsFailover}), then the cache
 * ({@link CacheFailover}). Without {@code --database} or {@code --cache} each is failed over where
 * it has a standby, and the request is refused when neither has one.
 */
public final class EnvironmentFailover implements Failover {

    private final AwsClients aws;
    private final Consumer<String> progress;
    private final Duration timeout;
    private final Duration poll;

    public EnvironmentFailover(AwsClients aws, Consumer<String> progress, Duration timeout, Duration poll) {
        this.aws = aws;
        this.progress = progress;
        this.timeout = timeout;
        this.poll = poll;
    }

    @Override
    public List<String> failover(String env, Request request) {
        boolean database = request.wantsDatabase() && (!request.both() || RdsFailover.hasReader(aws.rds, env));
        boolean cache = request.wantsCache() && (!request.both() || CacheFailover.hasReplica(aws.elastiCache, env));
        if (!database && !cache) {
            throw new Refused(env + ": nothing to fail over: the database has no reader and the cache no replica");
        }
        List<String> done = new ArrayList<>();
        if (database) {
            done.add(RdsFailover.failover(aws.rds, env, request.target(), this::await));
            progress.accept(env + ": " + done.get(done.size() - 1));
        }
        if (cache) {
            done.add(CacheFailover.failover(aws.elastiCache, env, request.target(), this::await));
            progress.accept(env + ": " + done.get(done.size() - 1));
        }
        return done;
    }

    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": not done after " + timeout.toString().substring(2).toLowerCase(java.util.Locale.ROOT));
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(what + ": interrupted", e);
            }
        }
    }
}
