package io.terrace.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.terrace.planner.Address;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnvironmentHealthTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final String WEB = "acme/web/service";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("every resource settled and no alarm", List.of(
                        service(2, 2, 0, "COMPLETED", 60), status("acme/database/cluster", ResourceType.RDS_CLUSTER, "available"),
                        status("acme/cdn/distribution", ResourceType.CLOUDFRONT_DISTRIBUTION, "Deployed")),
                        List.of(), Health.HEALTHY, List.of()),
                Arguments.of("tasks crash-looping after the rollout", List.of(service(1, 2, 0, "COMPLETED", 60)),
                        List.of(), Health.DEGRADED, List.of("web: 1/2 tasks running")),
                Arguments.of("a young rollout short of tasks is on its way", List.of(service(0, 2, 2, "IN_PROGRESS", 3)),
                        List.of(), Health.PROGRESSING, List.of("web: rollout in progress, 0/2 tasks running")),
                Arguments.of("a rollout short of tasks past the deadline is stuck", List.of(service(0, 2, 2, "IN_PROGRESS", 45)),
                        List.of(), Health.DEGRADED, List.of("web: 0/2 tasks running, rollout in progress for 45m")),
                Arguments.of("a rollout with new tasks starting beside the old", List.of(service(2, 2, 1, "IN_PROGRESS", 1)),
                        List.of(), Health.PROGRESSING, List.of("web: rollout in progress, 2/2 tasks running")),
                Arguments.of("a rollout at its count with nothing pending has settled", List.of(service(2, 2, 0, "IN_PROGRESS", 90)),
                        List.of(), Health.HEALTHY, List.of()),
                Arguments.of("a failed rollout", List.of(withReason(service(2, 2, 0, "FAILED", 5), "circuit breaker")),
                        List.of(), Health.DEGRADED, List.of("web: rollout failed: circuit breaker")),
                Arguments.of("an alarm in ALARM", List.of(service(2, 2, 0, "COMPLETED", 60)),
                        List.of("terrace-acme-db-cpu"), Health.DEGRADED, List.of("alarm terrace-acme-db-cpu in ALARM")),
                Arguments.of("a database being modified", List.of(status("acme/database/cluster", ResourceType.RDS_CLUSTER, "modifying")),
                        List.of(), Health.PROGRESSING, List.of("database cluster modifying")),
                Arguments.of("a stopped writer", List.of(status("acme/database/writer", ResourceType.RDS_WRITER, "stopped")),
                        List.of(), Health.DEGRADED, List.of("database writer stopped")),
                Arguments.of("a reader that failed", List.of(readers(Map.of("acme-r1", "available", "acme-r2", "failed"))),
                        List.of(), Health.DEGRADED, List.of("database readers: acme-r2 failed")),
                Arguments.of("a proxy that cannot reach its network", List.of(status("acme/database/proxy", ResourceType.RDS_PROXY, "incompatible-network")),
                        List.of(), Health.DEGRADED, List.of("database proxy incompatible-network")),
                Arguments.of("a cache group being created", List.of(status("acme/cache/replication-group", ResourceType.ELASTICACHE_REPLICATION_GROUP, "creating")),
                        List.of(), Health.PROGRESSING, List.of("cache replication-group creating")),
                Arguments.of("a cache group whose create failed", List.of(status("acme/cache/replication-group", ResourceType.ELASTICACHE_REPLICATION_GROUP, "create-failed")),
                        List.of(), Health.DEGRADED, List.of("cache replication-group create-failed")),
                Arguments.of("a search domain processing a change", List.of(processing()),
                        List.of(), Health.PROGRESSING, List.of("search domain processing")),
                Arguments.of("a CDN deploying", List.of(status("acme/cdn/distribution", ResourceType.CLOUDFRONT_DISTRIBUTION, "InProgress")),
                        List.of(), Health.PROGRESSING, List.of("cdn distribution InProgress")),
                Arguments.of("a network stack whose create rolled back", List.of(status("acme/network/stack", ResourceType.NETWORK_STACK, "ROLLBACK_COMPLETE")),
                        List.of(), Health.DEGRADED, List.of("network stack ROLLBACK_COMPLETE")),
                Arguments.of("a network stack after a rolled-back update still serves", List.of(status("acme/network/stack", ResourceType.NETWORK_STACK, "UPDATE_ROLLBACK_COMPLETE")),
                        List.of(), Health.HEALTHY, List.of()),
                Arguments.of("worst first: degraded, then missing, then progressing", List.of(
                        status("acme/cdn/distribution", ResourceType.CLOUDFRONT_DISTRIBUTION, "InProgress"), service(1, 3, 0, "COMPLETED", 60)),
                        List.of("terrace-acme-php-errors"), Health.DEGRADED, List.of("web: 1/3 tasks running",
                                "alarm terrace-acme-php-errors in ALARM", "cache replication-group missing", "cdn distribution InProgress")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void derivesHealthFromSignals(String why, List<ObservedResource> live, List<String> alarms, Health expected,
                                  List<String> reasons) {
        List<Resource> desired = new ArrayList<>(live.stream().map(o -> desired(o.address(), o.type())).toList());
        if (why.startsWith("worst first")) {
            desired.add(desired("acme/cache/replication-group", ResourceType.ELASTICACHE_REPLICATION_GROUP));
        }
        EnvironmentHealth h = EnvironmentHealth.assess(desired, live, alarms, NOW);
        assertEquals(expected, h.health(), why + ": " + h.reasons());
        assertEquals(reasons, h.reasons(), why);
    }

    @Test
    void aResourceTheSpecWantsThatIsNotLiveIsMissing() {
        EnvironmentHealth h = EnvironmentHealth.assess(List.of(desired(WEB, ResourceType.ECS_SERVICE),
                desired("acme/assets/bucket", ResourceType.S3_BUCKET)), List.of(service(2, 2, 0, "COMPLETED", 60)), List.of(), NOW);
        assertEquals(new EnvironmentHealth(Health.MISSING, List.of("assets bucket missing")), h);
    }

    @Test
    void servicesWithoutTaskCountsGiveNoSignal() {
        ObservedResource bare = new ObservedResource(WEB, ResourceType.ECS_SERVICE, "arn",
                Map.of("desiredCount", 2), Map.of());
        assertEquals(Health.HEALTHY, EnvironmentHealth.assess(List.of(), List.of(bare), List.of(), NOW).health());
    }

    @Test
    void unknownIsNeverChosenOverAKnownHealth() {
        assertEquals(Health.DEGRADED, Health.UNKNOWN.worst(Health.DEGRADED));
        assertEquals(Health.HEALTHY, Health.HEALTHY.worst(Health.UNKNOWN));
        assertEquals("progressing", Health.PROGRESSING.id());
    }

    private static ObservedResource service(int running, int desired, int pending, String rollout, int minutesAgo) {
        Map<String, Object> a = new HashMap<>();
        a.put("desiredCount", desired);
        a.put("runningCount", running);
        a.put("pendingCount", pending);
        a.put("rolloutState", rollout);
        a.put("rolloutStartedAt", NOW.minusSeconds(60L * minutesAgo).toString());
        a.put("status", "ACTIVE");
        return new ObservedResource(WEB, ResourceType.ECS_SERVICE, "arn:web", a, Map.of());
    }

    private static ObservedResource withReason(ObservedResource o, String reason) {
        Map<String, Object> a = new HashMap<>(o.attributes());
        a.put("rolloutReason", reason);
        return new ObservedResource(o.address(), o.type(), o.id(), a, o.tags());
    }

    private static ObservedResource status(String address, ResourceType type, String status) {
        return new ObservedResource(address, type, "id:" + address, Map.of("status", status), Map.of());
    }

    private static ObservedResource readers(Map<String, String> statuses) {
        return new ObservedResource("acme/database/readers", ResourceType.RDS_READERS, "readers",
                Map.of("count", statuses.size(), "memberStatuses", statuses), Map.of());
    }

    private static ObservedResource processing() {
        return new ObservedResource("acme/search/domain", ResourceType.OPENSEARCH_DOMAIN, "domain",
                Map.of("processing", true), Map.of());
    }

    private static Resource desired(String address, ResourceType type) {
        Component c = Address.parse(address).component();
        return new Resource(address, type, c, address.replace('/', '-'), Map.of(), Map.of(), Set.of());
    }
}
