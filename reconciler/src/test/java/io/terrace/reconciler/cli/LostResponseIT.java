package io.terrace.reconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.FaultProxy;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every create's response lost once: the request reaches moto, which creates the resource, and
 * the connection closes without the answer. The SDK's retry, or the step's, must adopt what was
 * created: the applies converge, the next plan through a clean client is empty, and no resource
 * exists twice. Applies a production environment with everything (CDN, database, cache, search,
 * alerts) and a developer one through {@link FaultProxy}.
 */
@NeedsMoto
class LostResponseIT {

    /** The create paths named by the test: each must have had its response lost once. */
    private static final List<String> CREATES = List.of(
            "cloudfront:CreateDistributionWithTags", // CallerReference
            "rds:CreateDBCluster", "rds:CreateDBInstance",
            "elasticache:CreateReplicationGroup",
            "ecs:CreateService", "ecs:CreateCluster", "ecs:RegisterTaskDefinition",
            "iam:CreateRole",
            "secretsmanager:CreateSecret",
            "cloudformation:CreateStack",
            "s3:CreateBucket",
            "sns:CreateTopic", "sns:Subscribe",
            "kms:CreateKey", "kms:CreateAlias",
            "monitoring:PutMetricAlarm",
            "logs:CreateLogGroup",
            "es:CreateDomain");
    private static final int PASSES = 3;

    @TempDir
    Path dir;
    private SpecRepo repo;
    private FaultProxy proxy;

    @BeforeEach
    void setUp() throws Exception {
        Moto.reset();
        System.setProperty(AwsClients.ATTEMPT_TIMEOUT_PROPERTY, "5000");
        proxy = new FaultProxy(Moto.endpoint(), 7);
        repo = SpecRepo.ofExamples(dir);
        repo.commit("Example environments");
    }

    @AfterEach
    void tearDown() {
        System.clearProperty(AwsClients.ATTEMPT_TIMEOUT_PROPERTY);
        proxy.close();
    }

    @Test
    void aLostCreateResponseIsAdoptedAndNothingExistsTwice() {
        proxy.loseFirstResponse(c -> c.operation().startsWith("Create") || c.operation().equals("PutMetricAlarm")
                || c.operation().equals("RegisterTaskDefinition") || c.operation().equals("Subscribe")
                || c.operation().equals("RequestCertificate"));
        List<String> envs = List.of("acme-production", "blog-dev");
        List<CliRun> applies = new ArrayList<>();
        CliRun apply;
        do {
            apply = terrace(proxy.endpoint().toString(), "apply", "--auto-approve", "--env", envs.get(0), "--env", envs.get(1));
            applies.add(apply);
        } while (apply.exit() != TerraceCli.OK && applies.size() < PASSES);
        Set<String> lost = proxy.lost().stream().map(FaultProxy.Call::toString).collect(Collectors.toCollection(TreeSet::new));
        System.out.println("lost create responses: " + lost + "; applies until converged: " + applies.size());

        assertEquals(TerraceCli.OK, apply.exit(), "converged within " + PASSES + " applies: "
                + applies.stream().map(CliRun::printed).collect(Collectors.joining("\n----\n")));
        assertEquals(1, applies.size(), "the retry adopts within the same apply: "
                + applies.stream().map(CliRun::out).collect(Collectors.joining("\n----\n")));
        for (String create : CREATES) {
            assertTrue(lost.contains(create), create + " had its response lost: " + lost);
        }
        CliRun plan = terrace(Moto.endpoint().toString(), "plan", "--env", envs.get(0), "--env", envs.get(1));
        assertEquals(TerraceCli.OK, plan.exit(), plan.printed());
        assertTrue(plan.out().contains("No changes"), plan.out());
        assertEquals(List.of(), LiveDuplicates.of(envs, 2));
    }

    private CliRun terrace(String endpoint, String command, String... args) {
        String[] all = new String[args.length + 5];
        all[0] = command;
        all[1] = "--repo";
        all[2] = dir.toString();
        all[3] = "--endpoint-url";
        all[4] = endpoint;
        System.arraycopy(args, 0, all, 5, args.length);
        return CliRun.run(all);
    }
}
