package io.terrace.reconciler.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.terrace.planner.Action;
import io.terrace.planner.Change;
import io.terrace.planner.Component;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.aws.AwsCallCounter;
import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.schema.Diagnostic;
import io.terrace.schema.Stage;
import io.terrace.schema.Tier;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The region of an apply is the plan's, and only the plan's: a plan that names none is refused
 * before any AWS call, even where a default region exists (here one forced, as {@code --region}
 * does; the endpoint answers nothing, and the call counter sees every attempt).
 */
class RegionalExecutorTest {

    private static final String ENV = "acme";
    private static final Resource BUCKET = new Resource(ENV + "/assets/bucket", ResourceType.S3_BUCKET,
            Component.ASSETS, ResourceNames.assetsBucket(ENV), Map.of(),
            Map.of(ObservedResource.MANAGED_BY, "terrace", ObservedResource.ENVIRONMENT, ENV), Set.of());

    private final AwsCallCounter calls = new AwsCallCounter();
    private final AwsRegions regions = new AwsRegions(Optional.of(URI.create("http://127.0.0.1:1")),
            Optional.of(Region.EU_WEST_1), calls);

    @AfterEach
    void close() {
        regions.close();
    }

    @Test
    void aPlanThatNamesNoRegionIsRefusedWithoutAnyAwsCall() {
        EnvironmentPlan plan = plan(List.of());

        ApplyResult result = new RegionalExecutor(regions).apply(plan, StopSignal.NEVER);

        assertEquals(ApplyResult.Outcome.FAILED, result.outcome());
        assertEquals(Optional.of("not applied: the plan of acme names no region (no valid spec, and not found live)"),
                result.error());
        assertEquals(List.of(), result.steps());
        assertEquals(0, calls.total(), "no AWS call, in the forced region or any other: " + calls.snapshot());
    }

    @Test
    void aPlanRefusedForAnotherReasonSaysThatReasonFirst() {
        EnvironmentPlan plan = plan(List.of(new Diagnostic("environments/acme.yaml", 3, 1, "bad")));

        ApplyResult result = new RegionalExecutor(regions).apply(plan, StopSignal.NEVER);

        assertEquals(ApplyResult.Outcome.INVALID, result.outcome());
        assertEquals(Optional.of("not applied: the spec is invalid (1 error(s))"), result.error());
        assertEquals(0, calls.total());
    }

    private static EnvironmentPlan plan(List<Diagnostic> diagnostics) {
        Change create = new Change(BUCKET.address(), BUCKET.type(), Action.CREATE, List.of(), Optional.of(BUCKET),
                Optional.empty(), "not found in AWS", Optional.empty());
        EnvironmentPlan plan = new EnvironmentPlan(ENV, Optional.of(Tier.DEVELOPER), Optional.of(Stage.DEVELOPMENT),
                "abc123", Optional.empty(), List.of(create), List.of(List.of(BUCKET.address())), diagnostics);
        assertEquals(Optional.empty(), plan.region());
        return plan;
    }
}
