package io.terrace.reconciler.cli;

import static io.terrace.reconciler.cli.CliRun.run;
import static io.terrace.reconciler.cli.DriverCoverage.everyResourceTypeHasADriver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import io.terrace.reconciler.git.ScratchRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code terrace plan --base --head} against live state in moto: only the touched environments are
 * planned, and an environment whose file the pull request deletes is found in the region its base
 * spec names (not the default region) and shown as a blocked delete.
 */
@NeedsMoto
class PullRequestPlanIT {

    @TempDir
    Path dir;

    private ScratchRepo repo;

    @AfterEach
    void close() {
        if (repo != null) {
            repo.close();
        }
    }

    @Test
    void plansTouchedEnvironmentsAgainstLiveStateAndBlocksADeletionInAnotherRegion() throws Exception {
        assumeTrue(everyResourceTypeHasADriver(), "needs the drivers of every resource type");
        Moto.reset();
        String endpoint = Moto.endpoint().toString();
        Path examples = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(examples.resolve("specs/environments"))) {
            examples = examples.getParent();
        }
        repo = ScratchRepo.init(dir.resolve("specs"));
        for (String env : List.of("blog-dev", "shop-staging", "acme-staging")) {
            repo.write("environments/" + env + ".yaml",
                    Files.readString(examples.resolve("specs/environments/" + env + ".yaml")));
        }
        repo.commit("three environments");
        CliRun applied = run("apply", "--auto-approve", "--repo", repo.dir().toString(), "--endpoint-url", endpoint,
                "--env", "blog-dev", "--env", "shop-staging");
        assertEquals(0, applied.exit(), applied.out() + applied.err());
        assertTrue(Files.readString(repo.dir().resolve("environments/shop-staging.yaml")).contains("region: eu-central-1"));

        repo.fakeFetch("main");
        repo.branch("pull-request")
                .delete("environments/shop-staging.yaml")
                .write("environments/blog-dev.yaml", Files.readString(repo.dir().resolve("environments/blog-dev.yaml"))
                        .replace("max: 2 }", "max: 1 }"));
        repo.commit("retire shop-staging, shrink blog-dev");

        CliRun plan = run("plan", "--repo", repo.dir().toString(), "--endpoint-url", endpoint,
                "--base", "origin/main", "--head", "HEAD", "--format", "json");

        assertEquals(2, plan.exit(), plan.out() + plan.err());
        JsonNode doc = new ObjectMapper().readTree(plan.out());
        List<String> planned = new ArrayList<>();
        doc.path("environments").forEach(e -> planned.add(e.path("name").asText()));
        assertEquals(List.of("blog-dev", "shop-staging"), planned, "acme-staging is untouched");
        JsonNode blog = doc.path("environments").get(0);
        assertEquals(1, blog.path("changes").size(), blog.toString());
        assertEquals("blog-dev/web/scaling", blog.path("changes").get(0).path("address").asText());
        JsonNode shop = doc.path("environments").get(1);
        assertTrue(shop.path("changes").size() > 5, "every live resource of shop-staging: " + shop);
        shop.path("changes").forEach(c -> assertEquals("delete", c.path("action").asText()));
        assertEquals(shop.path("changes").size(), shop.path("blocked").size(), "nothing deleted without decommission");
    }
}
