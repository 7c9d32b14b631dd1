package io.terrace.planner;

import io.terrace.planner.AttributeKeys.Cache;
import io.terrace.planner.AttributeKeys.Cdn;
import io.terrace.planner.AttributeKeys.DbCluster;
import io.terrace.planner.AttributeKeys.DbProxy;
import io.terrace.planner.AttributeKeys.Search;
import io.terrace.schema.EnvironmentSpec;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the application containers are told about the environment they run in: the environment
 * variables naming its live endpoints (as {@link LiveRef}s, so a new endpoint is a new task
 * definition revision) and, as ECS secrets, the database credentials RDS keeps in Secrets Manager.
 * The names are documented in {@code docs/spec-reference.md}.
 */
public final class ContainerEnvironment {

    public static final String DB_HOST = "DB_HOST";
    public static final String DB_READ_REPLICA_HOST = "DB_READ_REPLICA_HOST";
    public static final String DB_USER = "DB_USER";
    public static final String DB_PASSWORD = "DB_PASSWORD";
    public static final String REDIS_HOST = "REDIS_HOST";
    public static final String REDIS_PORT = "REDIS_PORT";
    public static final String ELASTICSEARCH_HOST = "ELASTICSEARCH_HOST";
    public static final String ELASTICSEARCH_PORT = "ELASTICSEARCH_PORT";
    public static final String S3_UPLOADS_BUCKET = "S3_UPLOADS_BUCKET";
    public static final String S3_UPLOADS_REGION = "S3_UPLOADS_REGION";
    public static final String CDN_DOMAIN = "CDN_DOMAIN";
    public static final String S3_BUCKET = "S3_BUCKET";
    public static final String S3_REGION = "S3_REGION";

    /** The search domain answers HTTPS only. */
    static final String SEARCH_PORT = "443";

    private ContainerEnvironment() {}

    /** The environment variables of a component's container. */
    public static Map<String, Object> variables(EnvironmentSpec spec, Component component) {
        String env = spec.name();
        Map<String, Object> vars = new TreeMap<>();
        if (component == Component.TACHYON) {
            vars.put(S3_BUCKET, ResourceNames.assetsBucket(env));
            vars.put(S3_REGION, spec.region());
            return vars;
        }
        String cluster = Address.of(env, Component.DATABASE, "cluster");
        vars.put(DB_HOST, spec.database().proxy()
                ? LiveRef.to(Address.of(env, Component.DATABASE, "proxy"), DbProxy.ENDPOINT)
                : LiveRef.to(cluster, DbCluster.ENDPOINT));
        vars.put(DB_READ_REPLICA_HOST, LiveRef.to(cluster, DbCluster.READER_ENDPOINT));
        String cache = Address.of(env, Component.CACHE, "replication-group");
        vars.put(REDIS_HOST, LiveRef.to(cache, Cache.PRIMARY_ENDPOINT));
        vars.put(REDIS_PORT, LiveRef.to(cache, Cache.PRIMARY_ENDPOINT_PORT));
        vars.put(ELASTICSEARCH_HOST, LiveRef.to(Address.of(env, Component.SEARCH, "domain"), Search.ENDPOINT));
        vars.put(ELASTICSEARCH_PORT, SEARCH_PORT);
        vars.put(S3_UPLOADS_BUCKET, ResourceNames.assetsBucket(env));
        vars.put(S3_UPLOADS_REGION, spec.region());
        if (spec.cdn().enabled()) {
            vars.put(CDN_DOMAIN, spec.cdn().aliases().isEmpty()
                    ? LiveRef.to(Address.of(env, Component.CDN, "distribution"), Cdn.DOMAIN_NAME)
                    : spec.cdn().aliases().get(0));
        }
        if (component == Component.WEB && spec.application().apm()) {
            vars.put(Apm.ENDPOINT_VARIABLE, Apm.ENDPOINT);
        }
        return vars;
    }

    /**
     * The ECS secrets of a component's container: the database user name and password from the
     * secret RDS manages for the cluster ({@code <secret ARN>:<json key>::}). Tachyon has none.
     */
    public static Map<String, Object> secrets(EnvironmentSpec spec, Component component) {
        Map<String, Object> secrets = new TreeMap<>();
        if (component == Component.TACHYON) {
            return secrets;
        }
        String cluster = Address.of(spec.name(), Component.DATABASE, "cluster");
        secrets.put(DB_USER, new LiveRef(cluster, DbCluster.MASTER_USER_SECRET_ARN, ":username::"));
        secrets.put(DB_PASSWORD, new LiveRef(cluster, DbCluster.MASTER_USER_SECRET_ARN, ":password::"));
        return secrets;
    }
}
