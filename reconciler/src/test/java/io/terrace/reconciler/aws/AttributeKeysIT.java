package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.network.NetworkStacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.AttributeKeys;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.PlanOptions;
import io.terrace.planner.Planner;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.wiring.Drivers;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.SpecResult;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The observed side of the attribute-key contract: after a whole environment is applied, what
 * the observers read of every resource type carries every managed key of {@link AttributeKeys}
 * (so a misspelt key cannot plan an update on every pass), and nothing else but the read-only
 * facts listed here, which the diff never compares.
 */
@NeedsMoto
class AttributeKeysIT {

    /** Observed facts that are not managed: ids, status and outputs dependents and drivers read. */
    private static final Map<ResourceType, Set<String>> READ_ONLY = Map.ofEntries(
            Map.entry(ResourceType.NETWORK_STACK, Set.of("status", NetworkStacks.ORIGIN_PREFIX_LIST)),
            Map.entry(ResourceType.S3_BUCKET, Set.of("versioningStatus")),
            Map.entry(ResourceType.ECS_CLUSTER, Set.of("status")),
            Map.entry(ResourceType.ECS_TASK_DEFINITION, Set.of("revision", "family", "logRegion")),
            Map.entry(ResourceType.ECS_SERVICE, Set.of("taskDefinitionArn", "runningCount", "status",
                    "pendingCount", "rolloutState", "rolloutReason", "rolloutStartedAt")),
            Map.entry(ResourceType.AUTOSCALING_TARGET, Set.of("resourceId")),
            Map.entry(ResourceType.RDS_CLUSTER, Set.of("arn", "status", "engineVersionFull", "endpoint",
                    "readerEndpoint", "port", "masterUserSecretArn")),
            Map.entry(ResourceType.RDS_WRITER, Set.of("arn", "status", "isClusterWriter", "endpoint")),
            Map.entry(ResourceType.RDS_READERS, Set.of("members", "memberStatuses")),
            Map.entry(ResourceType.RDS_PROXY, Set.of("arn", "status", "endpoint")),
            Map.entry(ResourceType.ELASTICACHE_REPLICATION_GROUP, Set.of("arn", "status", "primaryEndpoint",
                    "primaryEndpointPort")),
            Map.entry(ResourceType.OPENSEARCH_DOMAIN, Set.of("arn", "processing", "endpoint", "subnetIds")),
            Map.entry(ResourceType.CLOUDFRONT_DISTRIBUTION, Set.of("arn", "domainName", "status", "origin", "paths")),
            Map.entry(ResourceType.SNS_TOPIC, Set.of("arn", "pending")),
            Map.entry(ResourceType.CLOUDWATCH_ALARM, Set.of("arn", "state")),
            Map.entry(ResourceType.IAM_ROLE, Set.of("arn", "path")),
            Map.entry(ResourceType.LOG_GROUP, Set.of("arn")),
            Map.entry(ResourceType.ACM_CERTIFICATE, Set.of("arn", "status", "validationRecords")),
            Map.entry(ResourceType.LOG_METRIC_FILTER, Set.of()),
            Map.entry(ResourceType.KMS_KEY, Set.of("arn", "keyState", "alias")),
            Map.entry(ResourceType.RDS_EVENT_SUBSCRIPTION, Set.of("arn", "status")),
            Map.entry(ResourceType.WAF_WEB_ACL, Set.of("arn")),
            Map.entry(ResourceType.BACKUP_PLAN, Set.of("arn", "vaultArn")));

    @Test
    void everyObservedTypeCarriesItsManagedKeysAndOnlyDeclaredOthers() {
        Moto.reset();
        try (AwsClients aws = Moto.clients()) {
            EnvironmentSpec spec = TestSpecs.businessProduction("acme-prod");
            EnvironmentPlan plan = new Planner(PlanOptions.DEFAULT).planEnvironment(spec.name(),
                    Optional.of(new SpecResult.Valid(spec.name(), "environments/acme-prod.yaml", spec)), "rev1",
                    Optional.empty(), List.of());
            ApplyResult applied = Drivers.executor(aws).apply(plan, StopSignal.NEVER);
            assertEquals(ApplyResult.Outcome.APPLIED, applied.outcome(),
                    () -> applied.error().orElse("") + "\n" + applied.steps());

            EnumSet<ResourceType> seen = EnumSet.noneOf(ResourceType.class);
            for (ObservedResource o : new AwsObserver(aws).observe(List.of(spec.name())).environment(spec.name())) {
                Set<String> managed = AttributeKeys.managed(o.type());
                Set<String> required = new TreeSet<>(managed);
                required.removeAll(AttributeKeys.optional(o.type()));
                required.removeAll(AttributeKeys.whenReported(o.type()));
                assertTrue(o.attributes().keySet().containsAll(required),
                        o.address() + " lacks managed keys: observed " + o.attributes().keySet() + ", managed " + managed);
                Set<String> others = new TreeSet<>(o.attributes().keySet());
                others.removeAll(managed);
                others.removeIf(k -> k.startsWith("outputs."));
                others.removeAll(READ_ONLY.get(o.type()));
                others.removeAll(AttributeKeys.optional(o.type()));
                assertEquals(Set.of(), others, o.address() + ": observed keys neither managed nor declared read-only");
                seen.add(o.type());
            }
            assertEquals(EnumSet.allOf(ResourceType.class), seen, "every type was observed");
        }
    }
}
