package io.terrace.reconciler.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ClusterSchedulerPropertiesTest {

    private final ClusterOptions options = ClusterOptions.parse("jdbc:postgresql://db/terrace", Map.of(),
            Duration.ofSeconds(3), "node-a", 6);

    /** The daemon's in-memory work scheduler, as it configures it for one node. */
    private static Properties daemonProperties() {
        Properties base = new Properties();
        base.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        base.setProperty("org.quartz.jobStore.misfireThreshold", "3600000");
        base.setProperty("org.quartz.jobStore.someRamOnlySetting", "x");
        base.setProperty("org.quartz.scheduler.instanceName", "terrace-work-node-a");
        base.setProperty("org.quartz.scheduler.instanceId", "node-a");
        base.setProperty("org.quartz.threadPool.threadCount", "7");
        return base;
    }

    @Test
    void configuresTheClusteredPostgresJobStore() {
        Properties p = ClusterSchedulerProperties.overlay(daemonProperties(), options, "ds");
        assertEquals("org.quartz.impl.jdbcjobstore.JobStoreTX", p.getProperty("org.quartz.jobStore.class"));
        assertEquals("org.quartz.impl.jdbcjobstore.PostgreSQLDelegate", p.getProperty("org.quartz.jobStore.driverDelegateClass"));
        assertEquals("true", p.getProperty("org.quartz.jobStore.isClustered"));
        assertEquals("3000", p.getProperty("org.quartz.jobStore.clusterCheckinInterval"));
        assertEquals("ds", p.getProperty("org.quartz.jobStore.dataSource"));
        assertEquals("true", p.getProperty("org.quartz.jobStore.useProperties"), "job data as strings, no Java serialization");
        assertEquals("6", p.getProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount"));
        assertEquals("3000", p.getProperty("org.quartz.scheduler.idleWaitTime"), "idle nodes look for work each check-in");
    }

    @Test
    void oneSchedulerNameForTheClusterAndTheNodeIdAsInstanceId() {
        Properties p = ClusterSchedulerProperties.overlay(daemonProperties(), options, "ds");
        assertEquals("terrace", p.getProperty("org.quartz.scheduler.instanceName"));
        assertEquals("node-a", p.getProperty("org.quartz.scheduler.instanceId"));
    }

    @Test
    void replacesTheRamJobStoreAndKeepsTheRest() {
        Properties p = ClusterSchedulerProperties.overlay(daemonProperties(), options, "ds");
        assertEquals("3600000", p.getProperty("org.quartz.jobStore.misfireThreshold"), "both stores have one");
        assertFalse(p.containsKey("org.quartz.jobStore.someRamOnlySetting"), "other RAM store settings are dropped");
        assertEquals("7", p.getProperty("org.quartz.threadPool.threadCount"), "the daemon's thread pool");
    }
}
