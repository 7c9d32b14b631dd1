package io.terrace.reconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.ClusterField;

/**
 * A tag dropped from a spec is removed from live resources by the next apply, while a tag someone
 * added by hand stays: through the command line, against moto, read back with a separate client.
 */
@NeedsMoto
class SpecTagRemovalIT {

    private static final String ENV = "acme-staging";

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
    void aTagDroppedFromTheSpecLeavesAwsAndAHandAddedTagStays() throws Exception {
        assertApplied(terrace("apply", "--auto-approve", "--env", ENV));
        assertEquals("web", bucketTags().get("cost-centre"));
        assertEquals("cost-centre", clusterTags().get("terrace:tags"));
        String bucket = ResourceNames.assetsBucket(ENV);
        Map<String, String> withHandTag = new TreeMap<>(bucketTags());
        withHandTag.put("team", "by-hand");
        check.s3.putBucketTagging(r -> r.bucket(bucket).tagging(t -> t.tagSet(withHandTag.entrySet().stream()
                .map(e -> software.amazon.awssdk.services.s3.model.Tag.builder().key(e.getKey()).value(e.getValue())
                        .build()).toList())));
        check.ecs.tagResource(r -> r.resourceArn(clusterArn()).tags(software.amazon.awssdk.services.ecs.model.Tag
                .builder().key("team").value("by-hand").build()));

        repo.edit(ENV, "tags: { cost-centre: web }", "tags: { owner: web-team }");
        repo.commit("acme-staging: tagged by owner, no longer by cost centre");
        CliRun plan = terrace("plan", "--env", ENV);
        assertEquals(TerraceCli.CHANGES, plan.exit(), plan.printed());
        assertTrue(plan.out().contains("~ update " + ENV + "/assets/bucket"), plan.out());
        assertTrue(plan.out().contains("tags.cost-centre: \"web\" -> null"), plan.out());
        assertFalse(plan.out().contains("tags.team"), plan.out());
        assertApplied(terrace("apply", "--auto-approve", "--env", ENV));

        for (Map<String, String> live : java.util.List.of(bucketTags(), clusterTags())) {
            assertFalse(live.containsKey("cost-centre"), "the dropped spec tag is gone: " + live);
            assertEquals("web-team", live.get("owner"), live.toString());
            assertEquals("by-hand", live.get("team"), "the hand-added tag stays: " + live);
            assertEquals("owner", live.get("terrace:tags"), live.toString());
        }
        CliRun again = terrace("plan", "--env", ENV);
        assertEquals(TerraceCli.OK, again.exit(), again.printed());
        assertTrue(again.out().contains("No changes"), again.out());
    }

    private Map<String, String> bucketTags() {
        Map<String, String> tags = new TreeMap<>();
        check.s3.getBucketTagging(r -> r.bucket(ResourceNames.assetsBucket(ENV))).tagSet()
                .forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    private Map<String, String> clusterTags() {
        Map<String, String> tags = new TreeMap<>();
        check.ecs.describeClusters(r -> r.clusters(ResourceNames.ecsCluster(ENV)).include(ClusterField.TAGS))
                .clusters().get(0).tags().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    private String clusterArn() {
        return check.ecs.describeClusters(r -> r.clusters(ResourceNames.ecsCluster(ENV))).clusters().get(0).clusterArn();
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
