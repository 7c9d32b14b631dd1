package io.terrace.schema;

/**
 * The alarm thresholds a spec may set under {@code monitoring.thresholds}, with each tier's
 * default: the one table of them (docs/spec-reference.md shows the same). The schema
 * ({@code base.json}) holds each key's limits; a larger tier watches more closely.
 */
public enum Threshold {
    //                              developer standard business enterprise
    WEB_CPU_PERCENT("webCpuPercent", 90, 85, 80, 80),
    WEB_MEMORY_PERCENT("webMemoryPercent", 90, 85, 85, 85),
    HTTP_5XX_PERCENT("http5xxPercent", 10, 5, 2, 1),
    RESPONSE_TIME_SECONDS("responseTimeSeconds", 5, 3, 2, 1.5),
    UNHEALTHY_HOSTS("unhealthyHosts", 0, 0, 0, 0),
    DATABASE_CPU_PERCENT("databaseCpuPercent", 90, 85, 80, 80),
    DATABASE_FREE_STORAGE_GIB("databaseFreeStorageGiB", 1, 2, 5, 10),
    DATABASE_CONNECTIONS("databaseConnections", 80, 80, 800, 1600),
    DATABASE_DEADLOCKS_PER_SECOND("databaseDeadlocksPerSecond", 1, 0.5, 0.1, 0.1),
    DATABASE_REPLICA_LAG_MS("databaseReplicaLagMs", 2000, 2000, 1000, 500),
    CACHE_CPU_PERCENT("cacheCpuPercent", 90, 85, 80, 75),
    CACHE_MEMORY_PERCENT("cacheMemoryPercent", 90, 85, 80, 80),
    CACHE_EVICTIONS_PER_MINUTE("cacheEvictionsPerMinute", 1000, 500, 100, 100),
    SEARCH_FREE_STORAGE_GIB("searchFreeStorageGiB", 2, 2, 4, 4),
    SEARCH_JVM_MEMORY_PRESSURE_PERCENT("searchJvmMemoryPressurePercent", 95, 92, 90, 85),
    CAVALCADE_PENDING_JOBS_PER_WORKER("cavalcadePendingJobsPerWorker", 200, 100, 50, 50),
    PHP_FATAL_ERRORS("phpFatalErrors", 10, 5, 0, 0),
    DATABASE_ERRORS("databaseErrors", 20, 10, 5, 0);

    private final String key;
    private final double[] defaults;

    Threshold(String key, double developer, double standard, double business, double enterprise) {
        this.key = key;
        this.defaults = new double[] {developer, standard, business, enterprise};
    }

    /** The key under {@code monitoring.thresholds}. */
    public String key() {
        return key;
    }

    /** The value a spec of {@code tier} gets when it does not set this threshold. */
    public double defaultFor(Tier tier) {
        return defaults[tier.ordinal()];
    }

    public static Threshold ofKey(String key) {
        for (Threshold t : values()) {
            if (t.key.equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown threshold " + key);
    }
}
