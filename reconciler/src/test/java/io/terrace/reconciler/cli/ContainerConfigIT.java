package io.terrace.reconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.Component;
import io.terrace.planner.ContainerEnvironment;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsCallCounter;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.SpecRepository;
import io.terrace.schema.SpecResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.opensearch.model.DomainStatus;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What the application containers are told, read back from the live task definitions with a
 * separate ECS client and compared with what RDS, ElastiCache, OpenSearch, S3 and CloudFront say
 * of the environment's resources: the endpoints as environment variables, the database credentials
 * only as ECS secrets naming the secret RDS manages, and the password itself nowhere Terrace
 * writes (plans, command output, task definitions).
 */
@NeedsMoto
class ContainerConfigIT {

    private static final List<Component> APPLICATION = List.of(Component.WEB, Component.CAVALCADE, Component.SANDBOX);

    @TempDir
    Path dir;

    private SpecRepo repo;
    private String endpoint;
    private AwsClients check;
    private SecretsManagerClient secrets;

    @BeforeEach
    void setUp() throws Exception {
        Moto.reset();
        endpoint = Moto.endpoint().toString();
        check = Moto.clients();
        secrets = secretsManager(Moto.REGION);
        repo = SpecRepo.ofExamples(dir);
        repo.commit("Example environments");
    }

    /** Reads live state in another region from now on (the examples span three). */
    private void inRegion(String region) {
        check.close();
        secrets.close();
        check = new AwsClients(Region.of(region), Optional.of(Moto.endpoint()), new AwsCallCounter());
        secrets = secretsManager(Region.of(region));
    }

    private static SecretsManagerClient secretsManager(Region region) {
        return SecretsManagerClient.builder().region(region).endpointOverride(Moto.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    @AfterEach
    void tearDown() {
        secrets.close();
        check.close();
    }

    @Test
    void everyExampleContainerHasTheLiveEndpointsAndTheCredentialsOnlyAsSecrets() throws Exception {
        CliRun plan = terrace("plan");
        assertTrue(plan.out().contains("DB_HOST: (known after apply)"), plan.out());
        CliRun apply = terrace("apply", "--auto-approve");
        assertApplied(apply);
        CliRun again = terrace("plan");
        assertEquals(TerraceCli.OK, again.exit(), "the live endpoints plan no change: " + again.printed());

        // Everything Terrace prints once the passwords exist: plans, the observed state, drift.
        StringBuilder everythingWritten = new StringBuilder(apply.printed()).append(again.printed())
                .append(terrace("plan", "--format", "json").printed())
                .append(terrace("observe").printed())
                .append(terrace("drift", "--format", "json").printed());
        assertTrue(everythingWritten.toString().contains(":password::"), "the secret references are shown");
        for (SpecResult r : SpecRepository.load(SpecRepo.examples()).results()) {
            EnvironmentSpec spec = ((SpecResult.Valid) r).spec();
            String env = spec.name();
            inRegion(spec.region());
            DBCluster cluster = cluster(env);
            String secretArn = cluster.masterUserSecret().secretArn();
            Map<String, String> expected = expectedVariables(spec, cluster);
            for (Component c : APPLICATION) {
                if (c == Component.SANDBOX && !spec.application().sandbox().enabled()) {
                    continue;
                }
                DescribeTaskDefinitionResponse td = liveTaskDefinition(env, c);
                ContainerDefinition container = td.taskDefinition().containerDefinitions().get(0);
                assertEquals(expected, environment(container), env + " " + c);
                assertEquals(Map.of(ContainerEnvironment.DB_USER, secretArn + ":username::",
                        ContainerEnvironment.DB_PASSWORD, secretArn + ":password::"), secrets(container), env + " " + c);
                assertReadOnlyWithScratch(td, c == Component.SANDBOX
                        ? List.of("/tmp", "/var/lib/amazon", "/var/log/amazon", "/var/run") : List.of("/tmp", "/var/run"),
                        env + " " + c);
                everythingWritten.append(td);
            }
            DescribeTaskDefinitionResponse tachyon = liveTaskDefinition(env, Component.TACHYON);
            ContainerDefinition container = tachyon.taskDefinition().containerDefinitions().get(0);
            assertEquals(Map.of(ContainerEnvironment.S3_BUCKET, ResourceNames.assetsBucket(env),
                    ContainerEnvironment.S3_REGION, bucketRegion(env)), environment(container), env + " tachyon");
            assertEquals(Map.of(), secrets(container), env + " tachyon");
            assertReadOnlyWithScratch(tachyon, List.of("/tmp"), env + " tachyon");
            everythingWritten.append(tachyon);

            String password = password(secretArn);
            assertFalse(password.isBlank());
            assertFalse(everythingWritten.toString().contains(password), env + ": the password was written somewhere");
        }
    }

    @Test
    void aRecreatedDatabaseRollsTheServicesToARevisionNamingItsNewEndpoint() throws Exception {
        String env = "blog-dev";
        assertApplied(terrace("apply", "--auto-approve", "--env", env));
        DBCluster before = cluster(env);
        String webBefore = service(env, Component.WEB);

        // The database is lost (deleted outside Terrace): the next pass creates a new one.
        String id = ResourceNames.dbCluster(env);
        check.rds.modifyDBCluster(r -> r.dbClusterIdentifier(id).deletionProtection(false).applyImmediately(true));
        check.rds.deleteDBInstance(r -> r.dbInstanceIdentifier(ResourceNames.dbWriter(env)).skipFinalSnapshot(true));
        check.rds.deleteDBCluster(r -> r.dbClusterIdentifier(id).skipFinalSnapshot(true));
        // moto keeps the automated snapshot, named by the minute, which a new cluster of the same
        // name in the same minute would collide with; AWS deletes it with the cluster.
        check.rds.describeDBClusterSnapshots(r -> r.dbClusterIdentifier(id)).dbClusterSnapshots().stream()
                .filter(s -> s.dbClusterSnapshotIdentifier().startsWith("rds:"))
                .forEach(s -> check.rds.deleteDBClusterSnapshot(d -> d.dbClusterSnapshotIdentifier(s.dbClusterSnapshotIdentifier())));

        CliRun plan = terrace("plan", "--env", env);
        assertEquals(TerraceCli.CHANGES, plan.exit(), plan.printed());
        assertTrue(plan.out().contains("+ create " + env + "/database/cluster"), plan.out());
        assertTrue(plan.out().contains("~ update " + env + "/web/task"), plan.out());
        assertTrue(plan.out().contains("DB_HOST: (known after apply)"), plan.out());
        assertApplied(terrace("apply", "--auto-approve", "--env", env));

        DBCluster after = cluster(env);
        assertNotEquals(before.endpoint(), after.endpoint(), "moto gives a new cluster a new endpoint");
        for (Component c : APPLICATION) {
            ContainerDefinition container = liveTaskDefinition(env, c).taskDefinition().containerDefinitions().get(0);
            assertEquals(after.endpoint(), environment(container).get(ContainerEnvironment.DB_HOST), c.id());
            assertEquals(after.masterUserSecret().secretArn() + ":password::",
                    secrets(container).get(ContainerEnvironment.DB_PASSWORD), c.id());
        }
        String webAfter = service(env, Component.WEB);
        assertNotEquals(webBefore, webAfter, "the web service moved to a new revision");
        assertTrue(revision(webAfter) > revision(webBefore), webBefore + " -> " + webAfter);
        assertEquals(TerraceCli.OK, terrace("plan", "--env", env).exit());
    }

    @Test
    void aClusterWithoutAManagedPasswordGetsOneAndTheContainersItsSecret() throws Exception {
        String env = "blog-dev";
        assertApplied(terrace("apply", "--auto-approve", "--env", env));
        String id = ResourceNames.dbCluster(env);
        check.rds.modifyDBCluster(r -> r.dbClusterIdentifier(id).manageMasterUserPassword(false)
                .masterUserPassword("an-old-password-1").applyImmediately(true));
        assertEquals(null, cluster(env).masterUserSecret());

        CliRun plan = terrace("plan", "--env", env);
        assertEquals(TerraceCli.CHANGES, plan.exit(), plan.printed());
        assertTrue(plan.out().contains("manageMasterUserPassword: false -> true"), plan.out());
        assertTrue(plan.out().contains("DB_PASSWORD: (known after apply)"), plan.out());
        assertApplied(terrace("apply", "--auto-approve", "--env", env));

        String secretArn = cluster(env).masterUserSecret().secretArn();
        ContainerDefinition web = liveTaskDefinition(env, Component.WEB).taskDefinition().containerDefinitions().get(0);
        assertEquals(secretArn + ":username::", secrets(web).get(ContainerEnvironment.DB_USER));
        assertEquals(TerraceCli.OK, terrace("plan", "--env", env).exit());
    }

    /** What the web, cavalcade and sandbox containers should be told, from separate reads of each service. */
    private Map<String, String> expectedVariables(EnvironmentSpec spec, DBCluster cluster) {
        String env = spec.name();
        Map<String, String> vars = new TreeMap<>();
        vars.put(ContainerEnvironment.DB_HOST, spec.database().proxy()
                ? check.rds.describeDBProxies(r -> r.dbProxyName(ResourceNames.dbProxy(env))).dbProxies().get(0).endpoint()
                : cluster.endpoint());
        vars.put(ContainerEnvironment.DB_READ_REPLICA_HOST, cluster.readerEndpoint());
        var primary = check.elastiCache.describeReplicationGroups(r -> r.replicationGroupId(ResourceNames.cacheGroup(env)))
                .replicationGroups().get(0).nodeGroups().get(0).primaryEndpoint();
        vars.put(ContainerEnvironment.REDIS_HOST, primary.address());
        vars.put(ContainerEnvironment.REDIS_PORT, String.valueOf(primary.port()));
        DomainStatus domain = check.openSearch.describeDomain(r -> r.domainName(ResourceNames.searchDomain(env))).domainStatus();
        vars.put(ContainerEnvironment.ELASTICSEARCH_HOST, domain.hasEndpoints() && domain.endpoints().containsKey("vpc")
                ? domain.endpoints().get("vpc") : domain.endpoint());
        vars.put(ContainerEnvironment.ELASTICSEARCH_PORT, "443");
        vars.put(ContainerEnvironment.S3_UPLOADS_BUCKET, ResourceNames.assetsBucket(env));
        vars.put(ContainerEnvironment.S3_UPLOADS_REGION, bucketRegion(env));
        if (spec.cdn().enabled()) {
            DistributionSummary d = distribution(env);
            vars.put(ContainerEnvironment.CDN_DOMAIN, d.aliases().hasItems() && !d.aliases().items().isEmpty()
                    ? spec.cdn().aliases().get(0) : d.domainName());
            assertTrue(d.aliases().items().contains(vars.get(ContainerEnvironment.CDN_DOMAIN)), env);
        }
        return vars;
    }

    private String bucketRegion(String env) {
        check.s3.headBucket(r -> r.bucket(ResourceNames.assetsBucket(env)));
        String location = check.s3.getBucketLocation(r -> r.bucket(ResourceNames.assetsBucket(env))).locationConstraintAsString();
        return location == null || location.isEmpty() ? "us-east-1" : location; // S3 names us-east-1 by no constraint
    }

    private String password(String secretArn) throws Exception {
        String json = secrets.getSecretValue(r -> r.secretId(secretArn)).secretString();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("password").asText();
    }

    private DBCluster cluster(String env) {
        return check.rds.describeDBClusters(r -> r.dbClusterIdentifier(ResourceNames.dbCluster(env))).dbClusters().get(0);
    }

    private DistributionSummary distribution(String env) {
        return check.cloudFront.listDistributions(r -> { }).distributionList().items().stream()
                .filter(d -> ResourceNames.cdnComment(env).equals(d.comment())).findFirst().orElseThrow();
    }

    /** The task definition revision the component's service runs. */
    private String service(String env, Component c) {
        return check.ecs.describeServices(r -> r.cluster(ResourceNames.ecsCluster(env)).services(ResourceNames.ecsService(c)))
                .services().get(0).taskDefinition();
    }

    private DescribeTaskDefinitionResponse liveTaskDefinition(String env, Component c) {
        String arn = service(env, c);
        return check.ecs.describeTaskDefinition(r -> r.taskDefinition(arn));
    }

    /**
     * Every container of the task has a read-only root filesystem and writes only to the given
     * paths, each mounted read-write from a task volume with no host (the task's own storage).
     */
    private static void assertReadOnlyWithScratch(DescribeTaskDefinitionResponse td, List<String> paths, String what) {
        Map<String, software.amazon.awssdk.services.ecs.model.Volume> volumes = new TreeMap<>();
        td.taskDefinition().volumes().forEach(v -> volumes.put(v.name(), v));
        for (ContainerDefinition container : td.taskDefinition().containerDefinitions()) {
            assertEquals(Boolean.TRUE, container.readonlyRootFilesystem(), what + ": " + container.name() + " is read-only");
            List<String> mounted = new java.util.ArrayList<>();
            container.mountPoints().forEach(m -> {
                var volume = volumes.get(m.sourceVolume());
                assertTrue(volume != null, what + ": " + m.sourceVolume() + " is a volume of the task");
                assertTrue(volume.host() == null || volume.host().sourcePath() == null, what + ": no host path");
                assertTrue(volume.efsVolumeConfiguration() == null && volume.dockerVolumeConfiguration() == null,
                        what + ": task storage, nothing shared");
                assertFalse(Boolean.TRUE.equals(m.readOnly()), what + ": " + m.containerPath() + " is writable");
                mounted.add(m.containerPath());
            });
            assertEquals(paths, mounted.stream().sorted().toList(), what + ": the writable paths");
        }
        assertEquals(paths.size(), volumes.size(), what + ": one volume per writable path");
    }

    private static int revision(String taskDefinitionArn) {
        return Integer.parseInt(taskDefinitionArn.substring(taskDefinitionArn.lastIndexOf(':') + 1));
    }

    private static Map<String, String> environment(ContainerDefinition c) {
        Map<String, String> out = new TreeMap<>();
        c.environment().forEach(kv -> out.put(kv.name(), kv.value()));
        return out;
    }

    private static Map<String, String> secrets(ContainerDefinition c) {
        Map<String, String> out = new TreeMap<>();
        c.secrets().forEach(s -> out.put(s.name(), s.valueFrom()));
        return out;
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
}
