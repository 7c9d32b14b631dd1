package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.autoscaling.ScalingTargets;
import io.terrace.reconciler.aws.ecs.EcsResources;
import io.terrace.reconciler.aws.ecs.TaskDefinitionCache;
import io.terrace.reconciler.aws.network.NetworkStacks;
import io.terrace.reconciler.aws.network.OriginPrefixList;
import io.terrace.reconciler.aws.network.OriginSecrets;

import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.ManagedDriver;
import io.terrace.reconciler.wiring.Drivers;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * BRIEF §8 "AWS calls for one full observe of N environments": seeds an emulator with N
 * environments (network stack, cluster, four task definitions and services, two scaling targets
 * and the assets bucket straight through the SDK; database, cache, search and CDN through their
 * drivers, where {@link io.terrace.reconciler.wiring.Drivers} has them), then runs the observe the planner relies on and
 * prints the calls it made per environment, by service and operation. Run it with
 * {@code scripts/bench-observe [N]}.
 *
 * <p>Five observes are measured: two reading every detail (a one-shot command, first with an empty
 * task-definition cache), then the daemon's with its details kept ({@link DetailReads}): its first
 * sweep after a restart, a later sweep within the detail interval, and the sweep after it.
 */
public final class ObserveBenchmark {

    private static final java.util.Set<io.terrace.planner.ResourceType> SEED_FAILURES =
            java.util.EnumSet.noneOf(io.terrace.planner.ResourceType.class);

    private ObserveBenchmark() {}

    public static void main(String[] args) throws java.io.IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        URI endpoint = URI.create(System.getProperty("terrace.test.endpoint",
                System.getenv().getOrDefault("TERRACE_TEST_ENDPOINT", "")));
        if (endpoint.toString().isBlank()) {
            System.err.println("ObserveBenchmark: no endpoint; run scripts/bench-observe");
            System.exit(1);
        }
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        List<String> envs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            envs.add(String.format(Locale.ROOT, "bench-%03d", i));
        }
        try (AwsClients seed = new AwsClients(Moto.REGION, Optional.of(endpoint), new AwsCallCounter());
                AwsClients aws = new AwsClients(Moto.REGION, Optional.of(endpoint), new AwsCallCounter())) {
            long t0 = System.nanoTime();
            for (String env : envs) {
                seed(seed, env);
            }
            System.out.printf(Locale.ROOT, "seeded %d environments with %d calls in %.1fs%n", n,
                    seed.counter().total(), (System.nanoTime() - t0) / 1e9);

            java.nio.file.Path kept = java.nio.file.Files.createTempDirectory("terrace-bench").resolve("task-definitions.jsonl");
            AwsObserver always = new AwsObserver(aws, TaskDefinitionCache.keptIn(kept), DetailReads.always());
            measure("every detail read (terrace plan; the daemon with --detail-interval 0s): first observe", always, aws, envs);
            measure("every detail read: second observe (task definitions cached)", always, aws, envs);

            io.terrace.reconciler.engine.MutableClock clock = new io.terrace.reconciler.engine.MutableClock(
                    java.time.Instant.parse("2026-01-01T00:00:00Z"));
            java.time.Duration interval = java.time.Duration.ofHours(1);
            DetailReads details = DetailReads.every(interval, clock);
            AwsObserver daemon = new AwsObserver(aws, TaskDefinitionCache.keptIn(kept), details);
            measure("daemon, first sweep after a restart (task definitions kept in its data folder, details not)",
                    daemon, aws, envs);
            clock.advance(java.time.Duration.ofMinutes(5));
            measure("daemon, every later sweep within --detail-interval (warm)", daemon, aws, envs);
            clock.advance(interval);
            measure("daemon, the sweep after --detail-interval (details read again)", daemon, aws, envs);
        }
    }

    private static void measure(String title, AwsObserver observer, AwsClients aws, List<String> envs) {
        aws.counter().reset();
        long t0 = System.nanoTime();
        ObservedState state = observer.observe(envs);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int n = envs.size();
        long total = aws.counter().total();
        Map<String, Long> ops = aws.counter().snapshot();
        long detail = ops.entrySet().stream()
                .filter(e -> isDetailRead(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        long keptDetail = ops.entrySet().stream()
                .filter(e -> isKeptDetailRead(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        long motoOnly = ops.entrySet().stream()
                .filter(e -> isMotoOnly(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        long managed = state.resources().values().stream().filter(ObservedResource::isManagedByTerrace).count();
        System.out.println();
        System.out.println("== " + title + ": " + n + " environments, " + state.resources().size()
                + " resources found (" + managed + " Terrace-managed), " + String.format(Locale.ROOT, "%.2fs", seconds));
        System.out.printf(Locale.ROOT, "AWS calls: %d in total, %.2f per environment%n", total, (double) total / n);
        System.out.printf(Locale.ROOT, "excluding per-environment detail reads (S3 bucket, load balancer, ECS services): %d,"
                + " %.2f per environment%n", total - detail, (double) (total - detail) / n);
        System.out.printf(Locale.ROOT, "of which kept between sweeps by the daemon: %d, %.2f per environment%n",
                keptDetail, (double) keptDetail / n);
        System.out.printf(Locale.ROOT, "tag reads only moto needs (its tagging API lacks the type): %d, %.2f per environment;"
                + " on AWS: %.2f per environment, %.2f excluding detail reads%n", motoOnly, (double) motoOnly / n,
                (double) (total - motoOnly) / n, (double) (total - detail - motoOnly) / n);
        System.out.println("by service:");
        aws.counter().byService().forEach((s, c) -> System.out.printf(Locale.ROOT, "  %-32s %6d  %6.2f/env%n", s, c,
                (double) c / n));
        System.out.println("by operation:");
        ops.forEach((op, c) -> System.out.printf(Locale.ROOT, "  %-48s %6d  %6.2f/env%s%n", op, c, (double) c / n,
                isDetailRead(op) ? "  (detail read)" : isKeptDetailRead(op) ? "  (detail read, kept)"
                        : isMotoOnly(op) ? "  (moto only)" : ""));
    }

    /** Reads of rarely-changing details that {@link DetailReads} keeps between sweeps (S3 ones are in both). */
    private static boolean isKeptDetailRead(String operation) {
        return operation.startsWith("S3:GetBucket") || operation.startsWith("S3:GetPublicAccessBlock")
                || List.of("Kms:DescribeKey", "Kms:GetKeyPolicy", "Kms:GetKeyRotationStatus", "Kms:ListResourceTags",
                "SecretsManager:GetResourcePolicy", "Rds:DescribeDBClusterParameters", "Sns:GetTopicAttributes",
                "Acm:DescribeCertificate", "Acm:ListTagsForCertificate")
                .contains(operation);
    }

    /** Per-resource tag reads that the tagging sweep answers on AWS but not on moto. */
    private static boolean isMotoOnly(String operation) {
        return List.of("OpenSearch:ListTags", "CloudWatchLogs:ListTagsForResource", "CloudWatchLogs:ListTagsLogGroup")
                .contains(operation);
    }

    /**
     * Per-environment reads of services without a cross-environment batch API: S3 bucket settings,
     * load-balancer details, ECS services (one cluster per environment).
     */
    private static boolean isDetailRead(String operation) {
        return operation.startsWith("S3:GetBucket") || operation.startsWith("S3:GetPublicAccessBlock")
                || operation.startsWith("S3:HeadBucket") || operation.startsWith("Elastic Load Balancing v2:")
                || operation.equals("Ecs:DescribeServices");
    }

    private static void seed(AwsClients aws, String env) {
        Map<String, String> base = Map.of(ObservedResource.MANAGED_BY, "terrace", ObservedResource.ENVIRONMENT, env,
                ObservedResource.REVISION, "bench");
        String stackName = ResourceNames.networkStack(env);
        aws.cloudFormation.createStack(r -> r.stackName(stackName).templateBody(NetworkStacks.template())
                .parameters(java.util.stream.Stream.concat(
                        NetworkStacks.parameters(env, 1, "nat", OriginPrefixList.id(aws.ec2)).stream(),
                        java.util.stream.Stream.of(software.amazon.awssdk.services.cloudformation.model.Parameter.builder()
                                .parameterKey("OriginSecret").parameterValue(OriginSecrets.newValue()).build())).toList())
                .tags(base.entrySet().stream().map(e -> software.amazon.awssdk.services.cloudformation.model.Tag.builder()
                        .key(e.getKey()).value(e.getValue()).build()).toList()));
        Map<String, String> outputs = new HashMap<>();
        aws.cloudFormation.describeStacks(r -> r.stackName(stackName)).stacks().get(0).outputs()
                .forEach(o -> outputs.put(o.outputKey(), o.outputValue()));
        // The stack's origin secret (moto's CloudFormation does not create it).
        aws.secretsManager.createSecret(r -> r.name(OriginSecrets.name(env)).secretString(OriginSecrets.newValue())
                .tags(base.entrySet().stream().map(e -> software.amazon.awssdk.services.secretsmanager.model.Tag.builder()
                        .key(e.getKey()).value(e.getValue()).build()).toList()));
        String cluster = ResourceNames.ecsCluster(env);
        aws.ecs.createCluster(r -> r.clusterName(cluster).tags(tags(base, Component.CLUSTER)));
        for (Component c : EcsResources.SERVICE_COMPONENTS) {
            String family = ResourceNames.taskFamily(env, c);
            String arn = aws.ecs.registerTaskDefinition(r -> r.family(family)
                    .requiresCompatibilities(Compatibility.FARGATE).networkMode(NetworkMode.AWSVPC)
                    .cpu("512").memory("1024").tags(tags(base, c))
                    .containerDefinitions(d -> d.name(c.id()).image("registry.example.com/app:1").essential(true)))
                    .taskDefinition().taskDefinitionArn();
            aws.ecs.createService(r -> {
                r.cluster(cluster).serviceName(ResourceNames.ecsService(c)).taskDefinition(arn).desiredCount(1)
                        .launchType(LaunchType.FARGATE).tags(tags(base, c))
                        .networkConfiguration(nc -> nc.awsvpcConfiguration(v -> v
                                .subnets(outputs.get("PrivateSubnetIds").split(",")[0])
                                .securityGroups(outputs.get("AppSecurityGroupId")).assignPublicIp(AssignPublicIp.DISABLED)));
                if (c == Component.WEB || c == Component.TACHYON) {
                    r.loadBalancers(lb -> lb.containerName(c.id()).containerPort(8080).targetGroupArn(
                            outputs.get(c == Component.WEB ? "WebTargetGroupArn" : "TachyonTargetGroupArn")));
                }
            });
        }
        for (Component c : List.of(Component.WEB, Component.CAVALCADE)) {
            String id = "service/" + cluster + "/" + ResourceNames.ecsService(c);
            aws.autoScaling.registerScalableTarget(r -> r.serviceNamespace("ecs").resourceId(id)
                    .scalableDimension("ecs:service:DesiredCount").minCapacity(1).maxCapacity(10));
            aws.autoScaling.putScalingPolicy(r -> r.policyName(ScalingTargets.POLICY_NAME).serviceNamespace("ecs")
                    .resourceId(id).scalableDimension("ecs:service:DesiredCount").policyType("TargetTrackingScaling")
                    .targetTrackingScalingPolicyConfiguration(t -> t.targetValue(60.0).predefinedMetricSpecification(
                            m -> m.predefinedMetricType("ECSServiceAverageCPUUtilization"))));
        }
        seedDataServices(aws, env, stackName);
        String bucket = ResourceNames.assetsBucket(env);
        aws.s3.createBucket(r -> r.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
        aws.s3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
        aws.s3.putBucketTagging(r -> r.bucket(bucket).tagging(t -> t.tagSet(tags(base, Component.ASSETS).stream()
                .map(x -> software.amazon.awssdk.services.s3.model.Tag.builder().key(x.key()).value(x.value()).build())
                .toList())));
    }

    /** Database, cache, search and CDN, created by their drivers (when this build has them). */
    private static void seedDataServices(AwsClients aws, String env, String stackName) {
        Map<io.terrace.planner.ResourceType, ManagedDriver> drivers = new HashMap<>();
        Drivers.of(aws).forEach(d -> drivers.put(d.type(), new ManagedDriver(d)));
        Map<String, ObservedResource> live = new java.util.concurrent.ConcurrentHashMap<>();
        live.put(Addresses.networkStack(env), NetworkStacks.toObserved(Addresses.networkStack(env),
                NetworkStacks.describe(aws, stackName).orElseThrow()));
        DriverContext context = new DriverContext() {
            @Override
            public java.time.Clock clock() {
                return java.time.Clock.systemUTC();
            }

            @Override
            public Optional<ObservedResource> live(String address) {
                return Optional.ofNullable(live.get(address));
            }

            @Override
            public void await(String what, java.util.function.BooleanSupplier condition) {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!condition.getAsBoolean()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("benchmark seeding timed out waiting for " + what);
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
        // Every kind an environment has besides those seeded above through the SDK.
        var seeded = java.util.EnumSet.of(io.terrace.planner.ResourceType.NETWORK_STACK,
                io.terrace.planner.ResourceType.ECS_CLUSTER, io.terrace.planner.ResourceType.ECS_SERVICE,
                io.terrace.planner.ResourceType.ECS_TASK_DEFINITION, io.terrace.planner.ResourceType.AUTOSCALING_TARGET,
                io.terrace.planner.ResourceType.S3_BUCKET);
        for (var r : io.terrace.planner.DesiredState.compile(TestSpecs.standard(env), "bench")) {
            ManagedDriver driver = drivers.get(r.type());
            if (!seeded.contains(r.type()) && driver != null) {
                try {
                    live.put(r.address(), driver.create(r, context));
                } catch (RuntimeException e) {
                    if (SEED_FAILURES.add(r.type())) {
                        System.err.println("bench: cannot seed " + r.type() + " (" + r.address() + "): " + e.getMessage());
                    }
                }
            }
        }
    }

    private static List<Tag> tags(Map<String, String> base, Component c) {
        Map<String, String> all = new TreeMap<>(base);
        all.put(ObservedResource.COMPONENT, c.id());
        return EcsResources.toTags(all);
    }
}
