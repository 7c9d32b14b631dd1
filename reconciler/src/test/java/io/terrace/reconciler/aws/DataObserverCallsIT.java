package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.cloudfront.CloudFrontDriver;
import io.terrace.reconciler.aws.cloudfront.CloudFrontObserver;
import io.terrace.reconciler.aws.elasticache.ElastiCacheDriver;
import io.terrace.reconciler.aws.elasticache.ElastiCacheObserver;
import io.terrace.reconciler.aws.network.OriginSecrets;
import io.terrace.reconciler.aws.opensearch.OpenSearchDriver;
import io.terrace.reconciler.aws.opensearch.OpenSearchObserver;
import io.terrace.reconciler.aws.rds.RdsClusterDriver;
import io.terrace.reconciler.aws.rds.RdsObserver;
import io.terrace.reconciler.aws.rds.RdsProxyDriver;
import io.terrace.reconciler.aws.rds.RdsReadersDriver;
import io.terrace.reconciler.aws.rds.RdsWriterDriver;
import io.terrace.reconciler.aws.waf.WebAclDriver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.ManagedDriver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The AWS calls the data-service observers make for one observe of 20 environments (BRIEF §8),
 * printed per service as calls per environment. The environments are built by the drivers, next
 * to resources of other owners, so the sweeps page over realistic accounts.
 */
@NeedsMoto
class DataObserverCallsIT {

    private static final int ENVIRONMENTS = 20;

    private AwsClients aws;
    private final List<String> envs = new ArrayList<>();

    @BeforeEach
    void setUp() {
        Moto.reset();
        aws = Moto.clients();
        ObservedResource network = DataTestNetwork.create(aws, "shared");
        for (int i = 0; i < ENVIRONMENTS; i++) {
            String env = String.format("client%02d-production", i);
            envs.add(env);
            DataTestContext context = new DataTestContext(aws).with(new ObservedResource(env + "/network/stack",
                    ResourceType.NETWORK_STACK, network.id(), network.attributes(), network.tags()));
            DataTestSpec spec = new DataTestSpec(env);
            spec.proxy = i % 2 == 0;
            spec.aliases = List.of("www." + env + ".example");
            new ManagedDriver(new RdsClusterDriver(aws)).create(spec.resource("database/cluster"), context);
            DataDriverFixture.createMonitoringRole(aws, spec, context);
            new ManagedDriver(new RdsWriterDriver(aws)).create(spec.resource("database/writer"), context);
            new ManagedDriver(new RdsReadersDriver(aws)).create(spec.resource("database/readers"), context);
            if (spec.proxy) {
                new ManagedDriver(new RdsProxyDriver(aws)).create(spec.resource("database/proxy"), context);
            }
            new ManagedDriver(new ElastiCacheDriver(aws)).create(spec.resource("cache/replication-group"), context);
            new ManagedDriver(new OpenSearchDriver(aws)).create(spec.resource("search/domain"), context);
            OriginSecrets.ensure(aws.secretsManager, env, Map.of());
            // A production distribution is associated with its web ACL, applied before it.
            context.with(new ManagedDriver(new WebAclDriver(aws)).create(spec.resource("cdn/web-acl"), context));
            new ManagedDriver(new CloudFrontDriver(aws)).create(spec.resource("cdn/distribution"), context);
        }
        aws.rds.createDBCluster(r -> r.dbClusterIdentifier("billing").engine("aurora-mysql").masterUsername("x")
                .manageMasterUserPassword(true));
        aws.elastiCache.createReplicationGroup(r -> r.replicationGroupId("sessions").replicationGroupDescription("x")
                .engine("redis").cacheNodeType("cache.t4g.micro"));
        aws.openSearch.createDomain(r -> r.domainName("logs").engineVersion("OpenSearch_2.13"));
    }

    @AfterEach
    void tearDown() {
        aws.close();
    }

    private Map<String, Long> measure(String name, Function<AwsClients, ServiceObserver> observer, int expected) {
        aws.counter().reset();
        List<ObservedResource> found = observer.apply(aws).observe(envs);
        Map<String, Long> calls = aws.counter().snapshot();
        assertEquals(expected, found.size(), name + " resources found");
        assertTrue(found.stream().allMatch(ObservedResource::isManagedByTerrace), name);
        long total = calls.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("terrace: %-12s %3d calls for %d environments = %.2f per environment  %s%n",
                name, total, ENVIRONMENTS, (double) total / ENVIRONMENTS, calls);
        return calls;
    }

    @Test
    void observingTwentyEnvironmentsCostsAFewCallsPerService() {
        Map<String, Map<String, Long>> all = new LinkedHashMap<>();
        // cluster, writer and reader set per environment, a proxy on every other one
        all.put("rds", measure("rds", RdsObserver::new, ENVIRONMENTS * 3 + ENVIRONMENTS / 2));
        all.put("elasticache", measure("elasticache", ElastiCacheObserver::new, ENVIRONMENTS));
        all.put("opensearch", measure("opensearch", OpenSearchObserver::new, ENVIRONMENTS));
        all.put("cloudfront", measure("cloudfront", CloudFrontObserver::new, ENVIRONMENTS));

        // The parameters Terrace sets are one detail read per cluster: its own parameter group's
        // user-set values, which no batched call returns.
        assertEquals(Map.of("Rds:DescribeDBClusters", 1L, "Rds:DescribeDBInstances", 1L, "Rds:DescribeDBProxies", 1L,
                "Rds:DescribeDBClusterParameters", (long) ENVIRONMENTS, "ResourceGroupsTaggingApi:GetResources", 1L),
                all.get("rds"));
        assertEquals(Map.of("ElastiCache:DescribeReplicationGroups", 1L, "ElastiCache:DescribeCacheClusters", 1L,
                "ResourceGroupsTaggingApi:GetResources", 1L),
                all.get("elasticache"));
        assertEquals(Map.of("CloudFront:ListDistributions", 1L, "ResourceGroupsTaggingApi:GetResources", 1L),
                all.get("cloudfront"));
        Map<String, Long> search = all.get("opensearch");
        assertEquals(1L, search.get("OpenSearch:ListDomainNames"));
        assertEquals(4L, search.get("OpenSearch:DescribeDomains"));
        assertEquals(1L, search.get("ResourceGroupsTaggingApi:GetResources"));
        assertEquals(1L, search.get("CloudWatchLogs:DescribeResourcePolicies"), "the region's one delivery policy");
        // moto's tagging API does not index OpenSearch domains, so each domain costs the
        // ListTags fallback here; AWS's tagging API returns them and the fallback is not taken.
        assertEquals((long) ENVIRONMENTS, search.getOrDefault("OpenSearch:ListTags", 0L));

        long sweeps = all.values().stream().flatMap(m -> m.entrySet().stream())
                .filter(e -> !e.getKey().equals("OpenSearch:ListTags")
                        && !e.getKey().equals("Rds:DescribeDBClusterParameters"))
                .mapToLong(Map.Entry::getValue).sum();
        System.out.printf("terrace: data services %d calls = %.2f per environment without the OpenSearch"
                + " ListTags fallback moto forces and the parameter reads; %d = %.2f with the parameter reads%n",
                sweeps, (double) sweeps / ENVIRONMENTS, sweeps + ENVIRONMENTS,
                (double) (sweeps + ENVIRONMENTS) / ENVIRONMENTS);
        assertTrue(sweeps <= ENVIRONMENTS, "at most one call per environment across the four data services");
    }
}
