package io.terrace.reconciler.cli;

import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.Moto;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.kms.model.KeyState;

/**
 * Every resource that exists more than once in live state, read with clients of their own
 * straight against moto: what a lost create response or a retried create would leave behind. An
 * empty list is a fleet without duplicates.
 */
final class LiveDuplicates {

    private LiveDuplicates() {}

    /**
     * @param environments   the fleet's environment names
     * @param revisionsBound most ACTIVE revisions a task definition family may hold
     */
    static List<String> of(Collection<String> environments, int revisionsBound) {
        List<String> found = new ArrayList<>();
        try (AwsClients aws = Moto.clients(); AwsClients global = Moto.clients(Region.US_EAST_1)) {
            var list = global.cloudFront.listDistributions(r -> { }).distributionList();
            more(found, "CloudFront distributions by comment",
                    list.hasItems() ? list.items() : List.<DistributionSummary>of(), DistributionSummary::comment);
            more(found, "CloudFront distributions by caller reference",
                    (list.hasItems() ? list.items() : List.<DistributionSummary>of()).stream()
                            .map(d -> global.cloudFront.getDistributionConfig(r -> r.id(d.id()))
                                    .distributionConfig().callerReference()).toList(), Function.identity());
            more(found, "RDS clusters", aws.rds.describeDBClustersPaginator().dbClusters().stream().toList(),
                    c -> c.dbClusterIdentifier());
            more(found, "RDS instances", aws.rds.describeDBInstancesPaginator().dbInstances().stream().toList(),
                    i -> i.dbInstanceIdentifier());
            more(found, "ElastiCache replication groups", aws.elastiCache.describeReplicationGroupsPaginator()
                    .replicationGroups().stream().toList(), g -> g.replicationGroupId());
            more(found, "IAM roles", aws.iam.listRolesPaginator().roles().stream().toList(), r -> r.roleName());
            more(found, "secrets", aws.secretsManager.listSecretsPaginator(r -> { }).stream().flatMap(p -> p.secretList().stream()).toList(),
                    s -> s.name());
            more(found, "log groups", aws.logs.describeLogGroupsPaginator(r -> { }).logGroups().stream().toList(),
                    g -> g.logGroupName());
            more(found, "alarms", aws.cloudWatch.describeAlarmsPaginator(r -> { }).metricAlarms().stream().toList(),
                    a -> a.alarmName());
            more(found, "SNS topics", aws.sns.listTopicsPaginator(r -> { }).topics().stream().toList(),
                    t -> t.topicArn().substring(t.topicArn().lastIndexOf(':') + 1));
            more(found, "CloudFormation stacks", aws.cloudFormation.listStacksPaginator(r -> { }).stackSummaries()
                    .stream().filter(s -> !s.stackStatusAsString().equals("DELETE_COMPLETE")).toList(), s -> s.stackName());
            more(found, "KMS keys by description", aws.kms.listKeysPaginator(r -> { }).keys().stream()
                    .map(k -> aws.kms.describeKey(r -> r.keyId(k.keyId())).keyMetadata())
                    .filter(k -> k.keyState() != KeyState.PENDING_DELETION && k.description() != null
                            && k.description().startsWith("Terrace ")).toList(), k -> k.description());
            more(found, "ACM certificates by domain", aws.acm.listCertificatesPaginator(r -> { })
                    .certificateSummaryList().stream().toList(), c -> c.domainName());
            more(found, "CDN ACM certificates by domain", global.acm.listCertificatesPaginator(r -> { })
                    .certificateSummaryList().stream().toList(), c -> c.domainName() + " (us-east-1)");
            for (String env : environments) {
                String cluster = ResourceNames.ecsCluster(env);
                var services = aws.ecs.listServicesPaginator(r -> r.cluster(cluster)).serviceArns().stream().toList();
                more(found, "ECS services of " + cluster, services, s -> s.substring(s.lastIndexOf('/') + 1));
                Map<String, Long> revisions = aws.ecs.listTaskDefinitionsPaginator(r -> r.familyPrefix(
                        "terrace-" + env + "-").status("ACTIVE")).taskDefinitionArns().stream()
                        .map(a -> a.substring(a.lastIndexOf('/') + 1, a.lastIndexOf(':')))
                        .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
                revisions.forEach((family, n) -> {
                    if (n > revisionsBound) {
                        found.add("task definition " + family + ": " + n + " ACTIVE revisions (bound " + revisionsBound + ")");
                    }
                });
            }
        }
        return found;
    }

    private static <T> void more(List<String> found, String what, Collection<T> items, Function<T, String> key) {
        Map<String, Long> counts = items.stream().map(key).filter(k -> k != null && !k.isEmpty())
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        counts.forEach((k, n) -> {
            if (n > 1) {
                found.add(what + ": " + k + " x" + n);
            }
        });
    }
}
