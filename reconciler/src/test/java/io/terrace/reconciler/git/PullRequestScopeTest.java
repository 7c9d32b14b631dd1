package io.terrace.reconciler.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.ResourceType;
import io.terrace.schema.SpecResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The specs and live state a pull request plan sees. */
class PullRequestScopeTest {

    @TempDir
    Path dir;

    private ScratchRepo repo;
    private RevCommit base;

    static String spec(String name, String region, String alias) {
        return "apiVersion: terrace/v1\nkind: Environment\nname: " + name + "\nclient: " + name + "\n"
                + "tier: developer\nstage: development\nregion: " + region + "\n"
                + "application:\n  image: registry.example.com/" + name + "/app:1.0.0\n"
                + "  web: { cpu: 256, memory: 512, min: 1, max: 2 }\n"
                + "cdn:\n  aliases: [" + alias + "]\n";
    }

    @BeforeEach
    void threeEnvironments() {
        repo = ScratchRepo.init(dir);
        repo.write("environments/alpha.yaml", spec("alpha", "eu-west-1", "alpha.example"))
                .write("environments/bravo.yaml", spec("bravo", "us-east-1", "bravo.example"))
                .write("environments/charlie.yaml", spec("charlie", "eu-west-1", "charlie.example"));
        base = repo.commit("three");
    }

    @AfterEach
    void close() {
        repo.close();
    }

    @Test
    void narrowsSpecsRevisionsAndFilesToTouchedEnvironments() {
        repo.branch("pr").write("environments/charlie.yaml", spec("charlie", "eu-west-1", "charlie.example.org"));
        RevCommit head = repo.commit("charlie alias");

        PullRequestScope scope = PullRequestScope.of(repo.dir(), "main", "pr");

        assertEquals(List.of("charlie"), scope.snapshot().specs().results().stream().map(SpecResult::name).toList());
        assertEquals(Map.of("charlie", head.name()), scope.snapshot().revisions());
        assertEquals(List.of("environments/charlie.yaml"), List.copyOf(scope.snapshot().files().keySet()));
        assertEquals(head.name(), scope.snapshot().commit());
        assertEquals(head.name(), scope.headCommit());
    }

    @Test
    void crossFileRulesStillSeeUntouchedEnvironments() {
        // charlie takes alpha's alias: only the head tree as a whole can tell.
        repo.branch("pr").write("environments/charlie.yaml", spec("charlie", "eu-west-1", "alpha.example"));
        repo.commit("steal alias");

        PullRequestScope scope = PullRequestScope.of(repo.dir(), "main", "pr");

        assertEquals(1, scope.invalid().size());
        assertEquals("charlie", scope.invalid().get(0).name());
        assertTrue(scope.invalid().get(0).diagnostics().get(0).toString().contains("alpha.example"),
                scope.invalid().get(0).diagnostics().toString());
    }

    @Test
    void aDeletedEnvironmentIsObservedInItsBaseRegionButNotPlannedFromASpec() {
        repo.branch("pr").delete("environments/bravo.yaml");
        repo.commit("drop bravo");

        PullRequestScope scope = PullRequestScope.of(repo.dir(), "main", "pr");

        assertEquals(List.of(), scope.snapshot().specs().results(), "nothing to plan from a spec");
        assertEquals(List.of("bravo"), List.copyOf(scope.environments()));
        SpecResult.Valid bravo = (SpecResult.Valid) scope.observationSpecs().find("bravo").orElseThrow();
        assertEquals("us-east-1", bravo.spec().region());
        assertEquals(base.name(), scope.diff().mergeBase());
    }

    @Test
    void liveStateIsNarrowedToTouchedEnvironments() {
        repo.branch("pr").delete("environments/bravo.yaml");
        repo.commit("drop bravo");
        ObservedState live = ObservedState.of(List.of(bucket("alpha"), bucket("bravo")));

        ObservedState narrowed = PullRequestScope.of(repo.dir(), "main", "pr").restrict(live);

        assertEquals(List.of("bravo/assets/bucket"), List.copyOf(narrowed.resources().keySet()));
    }

    @Test
    void theRepositoryMustBeTheWorkTreeRoot() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PullRequestScope.of(dir.resolve("environments"), "main", "HEAD"));

        assertEquals(dir.resolve("environments") + ": --base/--head need --repo to be the root of a git repository "
                + "(environments/ at its top)", e.getMessage());
    }

    private static ObservedResource bucket(String env) {
        return new ObservedResource(env + "/assets/bucket", ResourceType.S3_BUCKET, env, Map.of(),
                Map.of("terrace:managed-by", "terrace", "terrace:environment", env));
    }
}
