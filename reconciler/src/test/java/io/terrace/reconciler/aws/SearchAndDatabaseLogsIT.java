package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.logs.LogGroupDriver;
import io.terrace.reconciler.aws.logs.LogsObserver;
import io.terrace.reconciler.aws.opensearch.OpenSearchDriver;
import io.terrace.reconciler.aws.opensearch.OpenSearchObserver;
import io.terrace.reconciler.aws.rds.RdsClusterDriver;
import io.terrace.reconciler.aws.rds.RdsObserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.planner.AttributeKeys.DbCluster;
import io.terrace.planner.AttributeKeys.Search;
import io.terrace.planner.DesiredState;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceDiff;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.engine.ManagedDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.opensearch.model.DomainStatus;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
import software.amazon.awssdk.services.rds.model.Parameter;

/**
 * The search domain's fine-grained access control, access policy and published logs, the region's
 * CloudWatch Logs resource policy that lets it write them, and the Aurora cluster's log exports
 * and slow query log, applied through the drivers against moto and read back with a separate
 * client; then drift put back through the planner's own diff.
 */
@NeedsMoto
class SearchAndDatabaseLogsIT extends DataDriverFixture {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "123456789012";

    private AwsClients check;
    private ManagedDriver groups;
    private ManagedDriver domains;
    private ManagedDriver clusters;

    @BeforeEach
    void buildDrivers() {
        check = Moto.clients();
        groups = new ManagedDriver(new LogGroupDriver(aws));
        domains = new ManagedDriver(new OpenSearchDriver(aws));
        clusters = new ManagedDriver(new RdsClusterDriver(aws));
    }

    @AfterEach
    void closeCheck() {
        check.close();
    }

    /** The component's log groups, then its main resource, as the plan's waves order them. */
    private ObservedResource applyComponent(String component, String main, ManagedDriver driver) {
        // The environment's KMS key first: the groups are encrypted with it.
        ObservedResource key = new ManagedDriver(new io.terrace.reconciler.aws.kms.KmsKeyDriver(aws))
                .create(spec.resource("monitoring/alerts-key"), context);
        for (Resource r : desired()) {
            if (r.address().startsWith(ENV + "/" + component + "/") && r.address().endsWith("-logs")) {
                groups.create(withKey(r, key), context);
            }
        }
        return driver.create(spec.resource(component + "/" + main), context);
    }

    /** {@code r} with the key's ARN in place of its reference, as the executor resolves it. */
    private static Resource withKey(Resource r, ObservedResource key) {
        return r.resolved(a -> a.equals(key.address()) ? java.util.Optional.of(key) : java.util.Optional.empty());
    }

    private ObservedResource key() {
        return live(observe(new io.terrace.reconciler.aws.kms.KmsObserver(aws)), ENV + "/monitoring/alerts-key");
    }

    private List<Resource> desired() {
        return DesiredState.compile(spec.build(), spec.revision);
    }

    private DomainStatus domain() {
        return check.openSearch.describeDomain(r -> r.domainName(ResourceNames.searchDomain(ENV))).domainStatus();
    }

    private ObservedResource liveDomain() {
        return live(observe(new OpenSearchObserver(aws)), ENV + "/search/domain");
    }

    private ObservedResource liveCluster() {
        return live(observe(new RdsObserver(aws)), ENV + "/database/cluster");
    }

    private static String roleArn(String component) {
        return "arn:aws:iam::" + ACCOUNT + ":role/terrace/terrace-" + ENV + "-" + component + "-task";
    }

    @Test
    void theDomainUsesFineGrainedAccessLetsInOnlyTheTaskRolesAndPublishesItsLogsToManagedGroups() throws Exception {
        applyComponent("search", "domain", domains);
        DomainStatus d = domain();

        assertTrue(d.advancedSecurityOptions().enabled(), "fine-grained access control on");
        assertFalse(d.advancedSecurityOptions().internalUserDatabaseEnabled(), "IAM users only");
        assertTrue(d.encryptionAtRestOptions().enabled());
        assertTrue(d.nodeToNodeEncryptionOptions().enabled());
        assertTrue(d.domainEndpointOptions().enforceHTTPS());
        assertEquals("Policy-Min-TLS-1-2-2019-07", d.domainEndpointOptions().tlsSecurityPolicyAsString());

        JsonNode statement = JSON.readTree(d.accessPolicies()).get("Statement").get(0);
        assertEquals("arn:aws:iam::" + ACCOUNT + ":root", statement.get("Principal").get("AWS").asText());
        assertEquals("es:ESHttp*", statement.get("Action").asText());
        assertEquals(d.arn() + "/*", statement.get("Resource").asText());
        Set<String> principals = new TreeSet<>();
        statement.get("Condition").get("ArnEquals").get("aws:PrincipalArn").forEach(a -> principals.add(a.asText()));
        assertEquals(Set.of(roleArn("web"), roleArn("cavalcade"), roleArn("sandbox")), principals,
                "the WordPress task roles, not tachyon's");

        Map<String, String> published = new TreeMap<>();
        d.logPublishingOptionsAsStrings().forEach((type, o) -> {
            assertTrue(o.enabled(), type);
            published.put(type, o.cloudWatchLogsLogGroupArn());
        });
        Map<String, String> expected = new TreeMap<>();
        for (var e : Map.of("AUDIT_LOGS", "audit", "ES_APPLICATION_LOGS", "application",
                "SEARCH_SLOW_LOGS", "search-slow", "INDEX_SLOW_LOGS", "index-slow").entrySet()) {
            String group = "/terrace/" + ENV + "/search/" + e.getValue();
            expected.put(e.getKey(), "arn:aws:logs:eu-west-1:" + ACCOUNT + ":log-group:" + group);
            var g = check.logs.describeLogGroups(r -> r.logGroupNamePrefix(group)).logGroups();
            assertEquals(1, g.size(), group + " is created before the domain");
            assertEquals(spec.build().logs().retentionDays(), g.get(0).retentionInDays(), group + " retention");
        }
        assertEquals(expected, published);

        var policies = check.logs.describeResourcePolicies(r -> { }).resourcePolicies();
        assertEquals(1, policies.size(), policies.toString());
        assertEquals("terrace-opensearch-logs", policies.get(0).policyName());
        JsonNode allow = JSON.readTree(policies.get(0).policyDocument()).get("Statement").get(0);
        assertEquals("es.amazonaws.com", allow.get("Principal").get("Service").asText());
        assertEquals("arn:aws:logs:eu-west-1:" + ACCOUNT + ":log-group:/terrace/*", allow.get("Resource").asText());
        assertEquals(ACCOUNT, allow.get("Condition").get("StringEquals").get("aws:SourceAccount").asText());

        ResourceDiff diff = ResourceDiff.of(spec.resource("search/domain"), liveDomain());
        assertFalse(diff.differs(), "steady state: " + diff);
        for (Resource r : desired()) {
            if (r.address().startsWith(ENV + "/search/") && r.address().endsWith("-logs")) {
                ResourceDiff g = ResourceDiff.of(withKey(r, key()), live(observe(new LogsObserver(aws)), r.address()));
                assertFalse(g.differs(), r.address() + ": " + g);
            }
        }
    }

    @Test
    void aSecondEnvironmentSharesTheRegionsOneDeliveryPolicy() {
        applyComponent("search", "domain", domains);
        DataTestSpec other = new DataTestSpec("other-env");
        DataTestContext otherContext = new DataTestContext(aws).with(DataTestNetwork.create(aws, "other-env"));
        domains.create(other.resource("search/domain"), otherContext);

        var policies = check.logs.describeResourcePolicies(r -> { }).resourcePolicies();
        assertEquals(List.of("terrace-opensearch-logs"), policies.stream().map(p -> p.policyName()).toList());
        assertFalse(ResourceDiff.of(spec.resource("search/domain"), liveDomain()).differs());
    }

    @Test
    void accessPolicyLogPublishingAndTheDeliveryPolicyChangedOutOfBandArePutBack() {
        applyComponent("search", "domain", domains);
        String name = ResourceNames.searchDomain(ENV);
        check.openSearch.updateDomainConfig(r -> r.domainName(name)
                .accessPolicies("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Principal\":{\"AWS\":\"*\"},\"Action\":\"es:*\",\"Resource\":\"*\"}]}")
                .logPublishingOptionsWithStrings(Map.of("AUDIT_LOGS", software.amazon.awssdk.services.opensearch.model
                        .LogPublishingOption.builder().enabled(false).build())));
        check.logs.deleteResourcePolicy(r -> r.policyName("terrace-opensearch-logs"));

        Resource desired = spec.resource("search/domain");
        ObservedResource drifted = liveDomain();
        ResourceDiff diff = ResourceDiff.of(desired, drifted);
        Set<String> paths = new TreeSet<>();
        diff.attributes().forEach(c -> paths.add(c.path().split("\\.")[0]));
        assertEquals(Set.of(Search.ACCESS_ROLES, Search.LOG_PUBLISHING, Search.LOG_DELIVERY_POLICY), paths,
                diff.toString());

        aws.counter().reset();
        domains.update(desired, drifted, diff.attributes(), context);

        assertFalse(ResourceDiff.of(desired, liveDomain()).differs(), "put back");
        assertTrue(domain().logPublishingOptionsAsStrings().get("AUDIT_LOGS").enabled());
        assertEquals(1, check.logs.describeResourcePolicies(r -> { }).resourcePolicies().size());
        assertEquals(1L, aws.counter().snapshot().get("OpenSearch:UpdateDomainConfig"), "one configuration change");
    }

    @Test
    void theClusterExportsItsLogsToGroupsMadeFirstWithTheSlowQueryLogOn() {
        applyComponent("database", "cluster", clusters);
        String id = ResourceNames.dbCluster(ENV);

        var cluster = check.rds.describeDBClusters(r -> r.dbClusterIdentifier(id)).dbClusters().get(0);
        assertEquals(Set.of("error", "slowquery"), Set.copyOf(cluster.enabledCloudwatchLogsExports()));
        for (String type : List.of("error", "slowquery")) {
            String group = "/aws/rds/cluster/" + id + "/" + type;
            var g = check.logs.describeLogGroups(r -> r.logGroupNamePrefix(group)).logGroups();
            assertEquals(1, g.size(), group + " is created before the cluster");
            assertEquals(spec.build().logs().retentionDays(), g.get(0).retentionInDays(), group + " retention");
        }
        assertEquals(Map.of("require_secure_transport", "ON", "slow_query_log", "1", "long_query_time", "1",
                "log_output", "FILE"), parameters(cluster.dbClusterParameterGroup()));

        assertFalse(ResourceDiff.of(spec.resource("database/cluster"), liveCluster()).differs(), "steady state");
        for (String type : List.of("error", "slowquery")) {
            String address = ENV + "/database/" + type + "-logs";
            ResourceDiff g = ResourceDiff.of(withKey(spec.resource("database/" + type + "-logs"), key()),
                    live(observe(new LogsObserver(aws)), address));
            assertFalse(g.differs(), address + ": " + g);
        }
    }

    @Test
    void aSlowQueryLogTurnedOffOutOfBandIsTurnedBackOn() {
        applyComponent("database", "cluster", clusters);
        String group = ResourceNames.dbClusterParameterGroup(ENV, "8.0");
        check.rds.modifyDBClusterParameterGroup(r -> r.dbClusterParameterGroupName(group).parameters(
                Parameter.builder().parameterName("slow_query_log").parameterValue("0")
                        .applyMethod(ApplyMethod.IMMEDIATE).build()));

        Resource desired = spec.resource("database/cluster");
        ObservedResource drifted = liveCluster();
        ResourceDiff diff = ResourceDiff.of(desired, drifted);
        assertEquals(List.of(DbCluster.PARAMETERS), diff.attributes().stream()
                .map(c -> c.path().split("\\.")[0]).distinct().toList(), diff.toString());

        clusters.update(desired, drifted, diff.attributes(), context);
        assertEquals("1", parameters(group).get("slow_query_log"));
        assertFalse(ResourceDiff.of(desired, liveCluster()).differs());
    }

    private Map<String, String> parameters(String group) {
        Map<String, String> out = new TreeMap<>();
        List<Parameter> all = new ArrayList<>(check.rds.describeDBClusterParameters(r -> r
                .dbClusterParameterGroupName(group)).parameters());
        all.forEach(p -> out.put(p.parameterName(), p.parameterValue()));
        return out;
    }
}
