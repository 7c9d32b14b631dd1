package io.terrace.reconciler.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ClusterSchedulerPropertiesTest {

    private final ClusterOptions options = ClusterOptions.parse("jdbc:postgresql://db/terrace", Map.of(),
            Duration.ofSeconds(3), Optional.empty(), 6);

    @Test
    void configuresTheClusteredPostgresJobStore() {
        Properties p = ClusterSchedulerProperties.of(options, "ds");
        assertEquals("org.quartz.impl.jdbcjobstore.JobStoreTX", p.getProperty("org.quartz.jobStore.class"));
        assertEquals("org.quartz.impl.jdbcjobstore.PostgreSQLDelegate", p.getProperty("org.quartz.jobStore.driverDelegateClass"));
        assertEquals("true", p.getProperty("org.quartz.jobStore.isClustered"));
        assertEquals("3000", p.getProperty("org.quartz.jobStore.clusterCheckinInterval"));
        assertEquals("ds", p.getProperty("org.quartz.jobStore.dataSource"));
        assertEquals("true", p.getProperty("org.quartz.jobStore.useProperties"));
        assertEquals("6", p.getProperty("org.quartz.threadPool.threadCount"));
        assertEquals("3000", p.getProperty("org.quartz.scheduler.idleWaitTime"), "idle nodes look for work each check-in");
    }

    @Test
    void generatesTheInstanceIdAutomatically() {
        Properties p = ClusterSchedulerProperties.of(options, "ds");
        assertEquals("AUTO", p.getProperty("org.quartz.scheduler.instanceId"));
        assertEquals(NodeIdGenerator.class.getName(), p.getProperty("org.quartz.scheduler.instanceIdGenerator.class"));
        assertEquals("terrace", p.getProperty("org.quartz.scheduler.instanceName"));
    }

    @Test
    void fixedNodeIdBecomesTheInstanceId() {
        Properties p = ClusterSchedulerProperties.of(options.withNodeId("node-a"), "ds");
        assertEquals("node-a", p.getProperty("org.quartz.scheduler.instanceId"));
        assertEquals("terrace-node-a-worker", p.getProperty("org.quartz.threadPool.threadNamePrefix"));
    }

    @Test
    void overlayReplacesTheRamJobStoreAndKeepsTheRest() {
        Properties base = new Properties();
        base.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        base.setProperty("org.quartz.jobStore.misfireThreshold", "3600000");
        base.setProperty("org.quartz.jobStore.someRamOnlySetting", "x");
        base.setProperty("org.quartz.scheduler.instanceName", "terrace-work-node-a");
        base.setProperty("org.quartz.threadPool.threadCount", "8");
        Properties p = ClusterSchedulerProperties.overlay(base, options, "ds");
        assertEquals("org.quartz.impl.jdbcjobstore.JobStoreTX", p.getProperty("org.quartz.jobStore.class"));
        assertEquals("3600000", p.getProperty("org.quartz.jobStore.misfireThreshold"), "both stores have one");
        assertFalse(p.containsKey("org.quartz.jobStore.someRamOnlySetting"), "other RAM store settings are dropped");
        assertEquals("terrace", p.getProperty("org.quartz.scheduler.instanceName"), "one name for the whole cluster");
        assertEquals("8", p.getProperty("org.quartz.threadPool.threadCount"));
    }
}
