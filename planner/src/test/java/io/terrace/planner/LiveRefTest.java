package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.AttributeKeys.DbCluster;
import io.terrace.planner.AttributeKeys.EcsTask;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** References to other resources' live attributes: resolved when planning and at apply, shown when unknown. */
class LiveRefTest {

    private static final String CLUSTER = "acme/database/cluster";
    private static final String WEB_TASK = "acme/web/task";

    private static Plan plan(SpecFixture f, ObservedState observed, PlanOptions options) {
        SpecSet specs = new SpecSet(List.of((SpecResult) f.result()), Optional.empty());
        return new Planner(options).plan(specs, Map.of("acme", "r2"), observed);
    }

    private static Change change(Plan plan, String address) {
        return plan.environments().get(0).changes().stream().filter(c -> c.address().equals(address))
                .findFirst().orElseThrow();
    }

    private static Object after(Change c, String path) {
        return c.attributes().stream().filter(a -> a.path().equals(path)).findFirst().orElseThrow().after();
    }

    private static Resource webTask(SpecFixture f) {
        return DesiredState.compile(f.build(), "r1").stream().filter(r -> r.address().equals(WEB_TASK))
                .findFirst().orElseThrow();
    }

    @Test
    void aReferenceResolvesToTheLiveValueFollowedByItsSuffix() {
        ObservedResource cluster = new ObservedResource(CLUSTER, ResourceType.RDS_CLUSTER, "c",
                Map.of(DbCluster.MASTER_USER_SECRET_ARN, "arn:secret"), Map.of());
        Object value = Map.of("DB_USER", new LiveRef(CLUSTER, DbCluster.MASTER_USER_SECRET_ARN, ":username::"),
                "PLAIN", "x", "MISSING", LiveRef.to("acme/cache/replication-group", "primaryEndpoint"));

        Object resolved = LiveRef.resolve(value, a -> a.equals(CLUSTER) ? Optional.of(cluster) : Optional.empty());

        assertEquals(Map.of("DB_USER", "arn:secret:username::", "PLAIN", "x",
                "MISSING", LiveRef.to("acme/cache/replication-group", "primaryEndpoint")), resolved);
        assertEquals(Map.of("DB_USER", "arn:secret:username::", "PLAIN", "x"), LiveRef.withoutUnknownEntries(resolved));
    }

    @Test
    void taskDefinitionsDependOnTheResourcesTheyReferToExceptWhenThatWouldBeACycle() {
        Resource web = webTask(SpecFixture.highlyAvailable("acme").with(f -> f.aliases = List.of()));

        assertTrue(web.referencedAddresses().contains("acme/cdn/distribution"), "the CDN domain, without an alias");
        assertTrue(web.dependsOn().containsAll(List.of(CLUSTER, "acme/database/proxy",
                "acme/cache/replication-group", "acme/search/domain")));
        assertFalse(web.dependsOn().contains("acme/cdn/distribution"), "the CDN depends on web");
    }

    @Test
    void atApplyAReferenceToADependencyMustResolveAndOneToALaterResourceIsLeftOut() {
        Resource web = webTask(SpecFixture.env("acme").with(f -> f.aliases = List.of()));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> web.resolvedForApply(a -> Optional.empty()));
        assertTrue(e.getMessage().contains(CLUSTER), e.getMessage());

        ObservedState live = LiveState.of(DesiredState.compile(SpecFixture.env("acme").build(), "r1"));
        Resource applied = web.resolvedForApply(a -> a.equals("acme/cdn/distribution") ? Optional.empty() : live.get(a));
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) applied.attributes().get(EcsTask.ENVIRONMENT);
        assertFalse(env.containsKey(ContainerEnvironment.CDN_DOMAIN), "arrives on the next pass");
        assertEquals(live.get(CLUSTER).orElseThrow().attributes().get(DbCluster.ENDPOINT), env.get(ContainerEnvironment.DB_HOST));
        assertFalse(LiveRef.isUnknown(applied.attributes()));
    }

    @Test
    void aReferenceToAReplacedResourceIsKnownOnlyAfterApply() {
        SpecFixture acme = SpecFixture.env("acme");
        ObservedState live = LiveState.of(DesiredState.compile(acme.build(), "r1"));
        ObservedState engineChanged = LiveState.change(live, CLUSTER,
                r -> LiveState.withAttribute(r, DbCluster.ENGINE, "aurora-postgresql"));

        Plan plan = plan(acme, engineChanged, new PlanOptions(true));

        assertEquals(Action.REPLACE, change(plan, CLUSTER).action());
        Change web = change(plan, WEB_TASK);
        assertEquals(Action.UPDATE, web.action());
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) after(web, EcsTask.ENVIRONMENT);
        assertEquals(LiveRef.to(CLUSTER, DbCluster.ENDPOINT), env.get(ContainerEnvironment.DB_HOST));
        assertEquals(live.get("acme/cache/replication-group").orElseThrow().attributes().get("primaryEndpoint"),
                env.get(ContainerEnvironment.REDIS_HOST), "the cache stays");
        String text = new TextPlanRenderer().render(plan);
        assertTrue(text.contains("DB_HOST: (known after apply)"), text);
        String json = new JsonPlanRenderer().render(plan);
        assertTrue(json.contains("\"knownAfterApply\" : true"), json);
        assertTrue(new MarkdownPlanRenderer("abc").render(plan).contains("DB_HOST: (known after apply)"));
    }

    @Test
    void anUnchangedEndpointPlansNothingAndADifferentOneANewRevision() {
        SpecFixture acme = SpecFixture.env("acme");
        ObservedState live = LiveState.of(DesiredState.compile(acme.build(), "r1"));
        assertFalse(plan(acme, live, PlanOptions.DEFAULT).hasChanges());

        ObservedState moved = LiveState.change(live, CLUSTER,
                r -> LiveState.withAttribute(r, DbCluster.ENDPOINT, "new.endpoint"));
        Plan plan = plan(acme, moved, PlanOptions.DEFAULT);

        for (String task : List.of(WEB_TASK, "acme/cavalcade/task", "acme/sandbox/task")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> env = (Map<String, Object>) after(change(plan, task), EcsTask.ENVIRONMENT);
            assertEquals("new.endpoint", env.get(ContainerEnvironment.DB_HOST), task);
        }
        assertEquals(Action.NO_OP, change(plan, "acme/tachyon/task").action());
    }
}
