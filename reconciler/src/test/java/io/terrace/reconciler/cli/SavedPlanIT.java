package io.terrace.reconciler.cli;

import static io.terrace.reconciler.cli.CliRun.run;
import static io.terrace.reconciler.cli.DriverCoverage.everyResourceTypeHasADriver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import io.terrace.reconciler.git.ScratchRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * {@code terrace plan --out} then {@code terrace apply --plan} against moto: a saved plan is applied
 * exactly when nothing moved, and refused, with nothing applied, after an out-of-band change to
 * live state or a new commit to the spec.
 */
@NeedsMoto
class SavedPlanIT {

    @TempDir
    Path dir;

    private ScratchRepo repo;
    private String endpoint;
    private AwsClients check;
    private Path blog;
    private RevCommit reviewed;

    @BeforeEach
    void blogDevIsLive() throws Exception {
        assumeTrue(everyResourceTypeHasADriver(), "needs the drivers of every resource type");
        Moto.reset();
        endpoint = Moto.endpoint().toString();
        check = Moto.clients();
        Path examples = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(examples.resolve("specs/environments"))) {
            examples = examples.getParent();
        }
        repo = ScratchRepo.init(dir.resolve("specs"));
        repo.write("environments/blog-dev.yaml", Files.readString(examples.resolve("specs/environments/blog-dev.yaml")));
        repo.commit("blog-dev");
        blog = repo.dir().resolve("environments/blog-dev.yaml");
        CliRun apply = run("apply", "--auto-approve", "--repo", repo.dir().toString(), "--endpoint-url", endpoint);
        assertEquals(0, apply.exit(), apply.out() + apply.err());
        // The change under review: one web task at most.
        repo.write("environments/blog-dev.yaml", Files.readString(blog).replace("max: 2 }", "max: 1 }"));
        reviewed = repo.commit("blog-dev: one web task at most");
    }

    @AfterEach
    void tearDown() {
        if (check != null) {
            check.close();
        }
        if (repo != null) {
            repo.close();
        }
    }

    private CliRun savePlan(Path file) {
        CliRun plan = run("plan", "--repo", repo.dir().toString(), "--endpoint-url", endpoint, "--out", file.toString());
        assertEquals(2, plan.exit(), plan.out() + plan.err());
        assertTrue(plan.out().contains("maxCapacity: 2 -> 1"), plan.out());
        return plan;
    }

    private CliRun applyPlan(Path file) {
        return run("apply", "--repo", repo.dir().toString(), "--endpoint-url", endpoint, "--plan", file.toString());
    }

    private int webMaxCapacity() {
        return check.autoScaling.describeScalableTargets(r -> r.serviceNamespace("ecs")
                .resourceIds("service/" + ResourceNames.ecsCluster("blog-dev") + "/web"))
                .scalableTargets().get(0).maxCapacity();
    }

    @Test
    void isAppliedWhenNothingMoved() {
        Path saved = dir.resolve("plan.json");
        savePlan(saved);

        CliRun apply = applyPlan(saved);

        assertEquals(0, apply.exit(), apply.out() + apply.err());
        assertTrue(apply.out().contains("blog-dev: applied "), apply.out());
        assertEquals(1, webMaxCapacity());
        assertEquals(0, run("plan", "--repo", repo.dir().toString(), "--endpoint-url", endpoint).exit());
    }

    @Test
    void isRefusedAfterAnOutOfBandChangeToLiveState() {
        Path saved = dir.resolve("plan.json");
        savePlan(saved);
        String bucket = ResourceNames.assetsBucket("blog-dev");
        check.s3.putBucketVersioning(r -> r.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));

        CliRun apply = applyPlan(saved);

        assertEquals(new CliRun(1, "", "terrace apply: refusing the saved plan " + saved
                + ": it no longer matches; plan again\n  blog-dev: live state changed since the plan was saved\n"), apply.withoutProgress());
        assertEquals(2, webMaxCapacity(), "nothing applied");
        assertEquals(BucketVersioningStatus.SUSPENDED, check.s3.getBucketVersioning(r -> r.bucket(bucket)).status());
    }

    @Test
    void isRefusedAfterTheSpecMoved() {
        Path saved = dir.resolve("plan.json");
        savePlan(saved);
        repo.write("environments/blog-dev.yaml", read(blog).replace("blog/app:2.3.1", "blog/app:2.4.0"));
        RevCommit later = repo.commit("blog-dev: app 2.4.0");

        CliRun apply = applyPlan(saved);

        assertEquals(new CliRun(1, "", "terrace apply: refusing the saved plan " + saved
                + ": it no longer matches; plan again\n  blog-dev: spec moved from revision "
                + reviewed.name().substring(0, 12) + " to " + later.name().substring(0, 12) + "\n"), apply.withoutProgress());
        assertEquals(2, webMaxCapacity(), "nothing applied");
    }

    @Test
    void doesNotCombineWithEnvOrAllowDestroy() {
        Path saved = dir.resolve("plan.json");
        savePlan(saved);

        assertEquals(new CliRun(1, "", "terrace apply: --plan and --env do not combine: the saved plan fixes the "
                + "environments\n"), run("apply", "--repo", repo.dir().toString(), "--endpoint-url", endpoint,
                "--plan", saved.toString(), "--env", "blog-dev"));
        assertEquals(2, webMaxCapacity());
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
