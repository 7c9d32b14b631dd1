package io.terrace.reconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * The life of an environment through the command line, against moto, on a git copy of the example
 * spec repository: a spec change reaches live state, a deleted file without decommission is
 * refused, and a decommission followed by the deletion of the file removes everything. Live state
 * is read with a separate SDK client, as a user would check it.
 */
@NeedsMoto
class EnvironmentLifecycleIT {

    private static final String ENV = "acme-production";

    @TempDir
    Path dir;

    private SpecRepo repo;
    private String endpoint;
    private AwsClients check;

    @BeforeEach
    void setUp() throws Exception {
        Moto.reset();
        endpoint = Moto.endpoint().toString();
        check = Moto.clients();
        repo = SpecRepo.ofExamples(dir);
        repo.commit("Example environments");
    }

    @AfterEach
    void tearDown() {
        check.close();
    }

    @Test
    void specChangesReachLiveStateAndTheNextPlanIsEmpty() throws Exception {
        assertApplied(terrace("apply", "--auto-approve", "--env", ENV));
        repo.edit(ENV, "web: { cpu: 1024, memory: 2048, min: 2, max: 20 }", "web: { cpu: 1024, memory: 2048, min: 2, max: 30 }");
        repo.edit(ENV, "readers: { min: 1, max: 4 }", "readers: { min: 2, max: 4 }");
        repo.edit(ENV, "nodes: 2", "nodes: 4");
        repo.edit(ENV, "pageTtl: 300", "pageTtl: 120");
        repo.edit(ENV, "aliases: [www.acme.example, acme.example]", "aliases: [www.acme.example, acme.example, shop.acme.example]");
        repo.edit(ENV, "versioning: true", "versioning: false");
        repo.commit("acme-production: bigger, shorter page cache, a shop alias, no versioning");

        CliRun plan = terrace("plan", "--env", ENV);
        assertEquals(TerraceCli.CHANGES, plan.exit(), plan.printed());
        assertTrue(plan.out().contains("maxCapacity: 20 -> 30"), plan.out());
        assertTrue(plan.out().contains("instanceCount: 2 -> 4"), plan.out());
        assertApplied(terrace("apply", "--auto-approve", "--env", ENV));

        assertEquals(30, check.autoScaling.describeScalableTargets(r -> r.serviceNamespace("ecs")
                .resourceIds("service/" + ResourceNames.ecsCluster(ENV) + "/web")).scalableTargets().get(0).maxCapacity());
        List<DBClusterMember> readers = cluster(ENV).orElseThrow().dbClusterMembers().stream()
                .filter(m -> !Boolean.TRUE.equals(m.isClusterWriter())).toList();
        assertEquals(2, readers.size(), "readers.min 2: a reader was added");
        assertEquals(2, check.autoScaling.describeScalableTargets(r -> r.serviceNamespace("rds")
                .resourceIds("cluster:" + ResourceNames.dbCluster(ENV))).scalableTargets().get(0).minCapacity());
        assertEquals(4, check.openSearch.describeDomain(r -> r.domainName(ResourceNames.searchDomain(ENV)))
                .domainStatus().clusterConfig().instanceCount());
        DistributionConfig cdn = check.cloudFront.getDistributionConfig(r -> r.id(distribution(ENV).orElseThrow().id()))
                .distributionConfig();
        assertEquals(120L, cdn.defaultCacheBehavior().defaultTTL());
        assertEquals(List.of("acme.example", "shop.acme.example", "www.acme.example"),
                cdn.aliases().items().stream().sorted().toList());
        assertEquals(BucketVersioningStatus.SUSPENDED, check.s3.getBucketVersioning(
                r -> r.bucket(ResourceNames.assetsBucket(ENV))).status());

        CliRun again = terrace("plan", "--env", ENV);
        assertEquals(new CliRun(TerraceCli.OK, again.out(), ""), again.withoutProgress());
        assertTrue(again.out().contains("No changes"), again.out());
    }

    @Test
    void aCacheReplicaChangeIsPlannedInPlace() throws Exception {
        // moto 5.2.5 has no IncreaseReplicaCount: the apply of this change is covered against
        // AWS's replayed answers by ElastiCacheReplicaCountTest.
        assertApplied(terrace("apply", "--auto-approve", "--env", ENV));
        repo.edit(ENV, "replicas: 1", "replicas: 2");
        repo.commit("acme-production: a second cache replica");

        CliRun plan = terrace("plan", "--env", ENV);

        assertEquals(TerraceCli.CHANGES, plan.exit(), plan.printed());
        assertTrue(plan.out().contains("~ update " + ENV + "/cache/replication-group"), plan.out());
        assertTrue(plan.out().contains("replicas: 1 -> 2"), plan.out());
        assertEquals(1, replicas(group(ENV).orElseThrow()));
    }

    @Test
    void deletingAFileWithoutDecommissionIsBlockedAndDeletesNothing() throws Exception {
        assertApplied(terrace("apply", "--auto-approve", "--env", ENV));
        repo.delete(ENV);
        repo.commit("acme-production: gone");

        CliRun plan = terrace("plan", "--env", ENV, "--format", "json");
        assertEquals(TerraceCli.CHANGES, plan.exit(), plan.printed());
        JsonNode json = new ObjectMapper().readTree(plan.out());
        assertTrue(json.at("/summary/blocked").asInt() > 0, plan.out());
        assertTrue(json.at("/summary/delete").asInt() > 0, plan.out());
        CliRun text = terrace("plan", "--env", ENV);
        assertTrue(text.out().contains("not decommissioned"), text.out());

        CliRun apply = terrace("apply", "--auto-approve", "--env", ENV);

        assertEquals(TerraceCli.BLOCKED, apply.exit(), apply.printed());
        assertTrue(apply.out().contains(ENV + ": blocked: "), apply.out());
        assertEquals(List.of("ACTIVE"), check.ecs.describeClusters(r -> r.clusters(ResourceNames.ecsCluster(ENV)))
                .clusters().stream().map(c -> c.status()).toList());
        assertTrue(cluster(ENV).orElseThrow().deletionProtection());
        assertEquals("available", group(ENV).orElseThrow().status());
        assertTrue(check.s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(ResourceNames.assetsBucket(ENV))));
        assertTrue(distribution(ENV).isPresent());
        assertFalse(check.openSearch.describeDomain(r -> r.domainName(ResourceNames.searchDomain(ENV)))
                .domainStatus().deleted());
    }

    @Test
    void decommissionThenDeletingTheFileRemovesTheEnvironmentAndKeepsAFinalSnapshot() throws Exception {
        assertApplied(terrace("apply", "--auto-approve"));
        assertEquals("true", loadBalancerAttribute(ENV, "deletion_protection.enabled"), "production: protected");
        assertTrue(webAcls().contains(ResourceNames.webAcl(ENV)), "production: behind a web ACL " + webAcls());
        assertFalse(webAcls().contains(ResourceNames.webAcl("acme-staging")), "staging: no web ACL " + webAcls());
        assertEquals(List.of(ResourceNames.backupPlan(ENV)), backupPlans(), "production business: a backup plan");
        assertEquals(List.of(ResourceNames.backupPlan(ENV)), backupVaults(), "and its vault");
        repo.append(ENV, "decommission: true");
        repo.commit("acme-production: decommission");

        assertApplied(terrace("apply", "--auto-approve", "--env", ENV));
        assertFalse(cluster(ENV).orElseThrow().deletionProtection(), "deletion protection off");
        assertEquals("false", loadBalancerAttribute(ENV, "deletion_protection.enabled"),
                "the load balancer's deletion protection is off once decommissioned");
        Map<String, String> clusterTags = new TreeMap<>();
        cluster(ENV).orElseThrow().tagList().forEach(t -> clusterTags.put(t.key(), t.value()));
        assertEquals("true", clusterTags.get(ObservedResource.DECOMMISSION));
        assertTrue(check.s3.getBucketTagging(r -> r.bucket(ResourceNames.assetsBucket(ENV))).tagSet().stream()
                .anyMatch(t -> t.key().equals(ObservedResource.DECOMMISSION) && t.value().equals("true")));
        assertTrue(check.ecs.describeClusters(r -> r.clusters(ResourceNames.ecsCluster(ENV)).include(
                software.amazon.awssdk.services.ecs.model.ClusterField.TAGS)).clusters().get(0).tags().stream()
                .anyMatch(t -> t.key().equals(ObservedResource.DECOMMISSION) && t.value().equals("true")));
        assertEquals(TerraceCli.OK, terrace("plan", "--env", ENV).exit());

        repo.delete(ENV);
        repo.commit("acme-production: gone for good");
        CliRun plan = terrace("plan", "--env", ENV, "--format", "json");
        assertEquals(TerraceCli.CHANGES, plan.exit(), plan.printed());
        assertEquals(0, new ObjectMapper().readTree(plan.out()).at("/summary/blocked").asInt(), plan.out());

        CliRun apply = terrace("apply", "--auto-approve", "--env", ENV);

        assertApplied(apply);
        assertTrue(cluster(ENV).isEmpty(), "DB cluster deleted");
        assertEquals(List.of(), check.rds.describeDBInstances().dbInstances().stream()
                .filter(i -> ResourceNames.dbCluster(ENV).equals(i.dbClusterIdentifier())).toList());
        assertTrue(check.rds.describeDBClusterSnapshots(r -> r.dbClusterIdentifier(ResourceNames.dbCluster(ENV)))
                .dbClusterSnapshots().stream().anyMatch(s -> s.dbClusterSnapshotIdentifier()
                        .startsWith(ResourceNames.dbCluster(ENV) + "-final-")), "final snapshot");
        assertTrue(group(ENV).map(g -> g.status().equals("deleting")).orElse(true), "cache deleted (moto: deleting)");
        assertTrue(check.openSearch.listDomainNames(r -> { }).domainNames().stream()
                .noneMatch(d -> d.domainName().equals(ResourceNames.searchDomain(ENV))));
        assertTrue(distribution(ENV).isEmpty(), "distribution deleted");
        assertFalse(webAcls().contains(ResourceNames.webAcl(ENV)), "the web ACL is deleted after the distribution");
        assertEquals(List.of(), backupPlans(), "the backup plan is deleted");
        assertEquals(List.of(), backupVaults(), "its vault, empty, too");
        assertTrue(check.s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(ResourceNames.assetsBucket(ENV))));
        assertTrue(check.ecs.describeClusters(r -> r.clusters(ResourceNames.ecsCluster(ENV))).clusters().stream()
                .noneMatch(c -> c.status().equals("ACTIVE")), "ECS cluster deleted");
        assertEquals(List.of(), check.autoScaling.describeScalableTargets(r -> r.serviceNamespace("ecs")
                .resourceIds("service/" + ResourceNames.ecsCluster(ENV) + "/web",
                        "service/" + ResourceNames.ecsCluster(ENV) + "/cavalcade")).scalableTargets());
        assertTrue(stackGone(ResourceNames.networkStack(ENV)), "network stack deleted");
        String logBucket = ResourceNames.logBucket(check.sts.getCallerIdentity().account(), check.region().id());
        assertTrue(check.s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(logBucket)),
                "the region's log bucket, shared by every environment, stays");
        CliRun gone = terrace("plan", "--env", ENV);
        assertEquals(TerraceCli.ERROR, gone.exit(), gone.printed());
        assertTrue(gone.err().contains("no environment named " + ENV), gone.err());
        CliRun all = terrace("plan");
        assertEquals(TerraceCli.OK, all.exit(), "nothing left, other environments untouched: " + all.printed());
        assertFalse(all.out().contains(ENV + "/"), all.out());
        assertEquals("available", cluster("acme-staging").orElseThrow().status());
        assertEquals("available", group("acme-staging").orElseThrow().status());
        assertTrue(distribution("acme-staging").isPresent());
    }

    /** The names of the backup plans of the region (deleted ones left out). */
    private List<String> backupPlans() {
        return check.backup.listBackupPlans().backupPlansList().stream().map(p -> p.backupPlanName()).sorted().toList();
    }

    private List<String> backupVaults() {
        return check.backup.listBackupVaults().backupVaultList().stream().map(v -> v.backupVaultName()).sorted()
                .toList();
    }

    /** The names of the CLOUDFRONT web ACLs (us-east-1). */
    private List<String> webAcls() {
        try (AwsClients usEast1 = Moto.clients(software.amazon.awssdk.regions.Region.US_EAST_1)) {
            return usEast1.waf.listWebACLs(r -> r.scope("CLOUDFRONT")).webACLs().stream().map(w -> w.name()).toList();
        }
    }

    private String loadBalancerAttribute(String env, String key) {
        String arn = check.cloudFormation.describeStacks(r -> r.stackName(ResourceNames.networkStack(env))).stacks()
                .get(0).outputs().stream().filter(o -> o.outputKey().equals("LoadBalancerArn")).findFirst()
                .orElseThrow().outputValue();
        return check.elb.describeLoadBalancerAttributes(r -> r.loadBalancerArn(arn)).attributes().stream()
                .filter(a -> a.key().equals(key)).findFirst().orElseThrow().value();
    }

    private CliRun terrace(String command, String... args) {
        String[] all = new String[args.length + 5];
        all[0] = command;
        all[1] = "--repo";
        all[2] = dir.toString();
        all[3] = "--endpoint-url";
        all[4] = endpoint;
        System.arraycopy(args, 0, all, 5, args.length);
        return CliRun.run(all);
    }

    private static void assertApplied(CliRun apply) {
        assertEquals(TerraceCli.OK, apply.exit(), apply.printed());
        assertFalse(apply.out().contains(": failed"), apply.out());
    }

    private Optional<DBCluster> cluster(String env) {
        return check.rds.describeDBClusters().dbClusters().stream()
                .filter(c -> c.dbClusterIdentifier().equals(ResourceNames.dbCluster(env))).findFirst();
    }

    private Optional<ReplicationGroup> group(String env) {
        return check.elastiCache.describeReplicationGroups().replicationGroups().stream()
                .filter(g -> g.replicationGroupId().equals(ResourceNames.cacheGroup(env))).findFirst();
    }

    private static int replicas(ReplicationGroup g) {
        return g.nodeGroups().get(0).nodeGroupMembers().size() - 1;
    }

    private Optional<DistributionSummary> distribution(String env) {
        var list = check.cloudFront.listDistributions(r -> { }).distributionList();
        return (list.hasItems() ? list.items() : List.<DistributionSummary>of()).stream()
                .filter(d -> ResourceNames.cdnComment(env).equals(d.comment())).findFirst();
    }

    private boolean stackGone(String name) {
        try {
            return check.cloudFormation.describeStacks(r -> r.stackName(name)).stacks().stream()
                    .allMatch(s -> s.stackStatusAsString().equals("DELETE_COMPLETE"));
        } catch (CloudFormationException e) {
            return e.awsErrorDetails().errorMessage().contains("does not exist");
        }
    }
}
