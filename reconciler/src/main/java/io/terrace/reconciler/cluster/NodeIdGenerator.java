package io.terrace.reconciler.cluster;

import org.quartz.spi.InstanceIdGenerator;

/**
 * Quartz's {@code instanceId = AUTO} generator for Terrace: gives the scheduler the same
 * {@link NodeId#current() host-pid} id the daemon logs and records in history, instead of
 * Quartz's default host name plus timestamp.
 */
public final class NodeIdGenerator implements InstanceIdGenerator {

    @Override
    public String generateInstanceId() {
        return NodeId.current();
    }
}
