package io.terrace.reconciler.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Read, adopt and guard, once for every kind of resource, with no AWS behind the driver. */
class ManagedDriverTest {

    private static final Resource BUCKET = TestPlans.resource(Component.ASSETS, "bucket", ResourceType.S3_BUCKET);
    private static final Map<String, String> FOREIGN = Map.of("owner", "someone-else");

    private final ScriptedDriver driver = new ScriptedDriver();
    private final ManagedDriver managed = new ManagedDriver(driver);
    private final WaitingContext context = new WaitingContext();

    @Test
    void createsWhatIsNotThere() {
        driver.reads.add(LiveRead.ABSENT);

        managed.create(BUCKET, context);

        assertEquals(List.of("read", "create"), driver.calls);
    }

    @Test
    void adoptsWhatAnInterruptedApplyLeftWithAnUpdate() {
        driver.reads.add(new LiveRead.Present(TestPlans.live(BUCKET)));

        managed.create(BUCKET, context);

        assertEquals(List.of("read", "update []"), driver.calls);
    }

    @Test
    void refusesToTakeOverWhatIsNotTerraces() {
        driver.reads.add(new LiveRead.Present(TestPlans.live(BUCKET, FOREIGN)));

        var refused = assertThrows(IllegalStateException.class, () -> managed.create(BUCKET, context));

        assertTrue(refused.getMessage().startsWith("refusing to take over aws_s3_bucket id-acme/assets/bucket: "
                + "it already exists without terrace:managed-by=terrace"), refused.getMessage());
        assertEquals(List.of("read"), driver.calls);
    }

    @Test
    void waitsForAResourceOnItsWayOutBeforeCreating() {
        driver.reads.add(new LiveRead.Leaving("bucket to be deleted"));
        driver.reads.add(new LiveRead.Leaving("bucket to be deleted"));
        driver.reads.add(LiveRead.ABSENT);
        driver.reads.add(LiveRead.ABSENT);

        managed.create(BUCKET, context);

        assertEquals(List.of("bucket to be deleted"), context.waits);
        assertEquals(List.of("read", "read", "read", "read", "create"), driver.calls);
    }

    @Test
    void deletesAFailedCreateOfItsOwnBeforeCreatingAgain() {
        driver.reads.add(new LiveRead.Failed(TestPlans.live(BUCKET)));

        managed.create(BUCKET, context);

        assertEquals(List.of("read", "delete", "create"), driver.calls);
    }

    @Test
    void adoptsWhatACreateWhoseCallFailedMadeAllTheSame() {
        driver.reads.add(LiveRead.ABSENT);
        driver.reads.add(new LiveRead.Present(TestPlans.live(BUCKET)));
        driver.createFailure = new IllegalStateException("BucketAlreadyOwnedByYou");

        managed.create(BUCKET, context);

        assertEquals(List.of("read", "create", "read", "update []"), driver.calls);
    }

    @Test
    void aCreatedResourceThatNeverBecomesReadyFailsItsStepAndIsNotAdopted() {
        driver.reads.add(LiveRead.ABSENT);
        driver.reads.add(new LiveRead.Present(TestPlans.live(BUCKET)));
        driver.createFailure = new DriverContext.NotReady("web: 20 of 21 tasks running after 15m");

        var failed = assertThrows(DriverContext.NotReady.class, () -> managed.create(BUCKET, context));

        assertEquals("web: 20 of 21 tasks running after 15m", failed.getMessage());
        assertEquals(List.of("read", "create"), driver.calls);
    }

    @Test
    void checksOwnershipBeforeEveryUpdateAndDelete() {
        ObservedResource foreign = TestPlans.live(BUCKET, FOREIGN);

        var update = assertThrows(IllegalStateException.class, () -> managed.update(BUCKET, foreign, List.of(), context));
        var delete = assertThrows(IllegalStateException.class, () -> managed.delete(foreign, context));

        assertTrue(update.getMessage().startsWith("refusing to modify aws_s3_bucket id-acme/assets/bucket"),
                update.getMessage());
        assertTrue(delete.getMessage().startsWith("refusing to delete aws_s3_bucket id-acme/assets/bucket"),
                delete.getMessage());
        assertEquals(List.of(), driver.calls, "the driver is never reached");

        managed.update(BUCKET, TestPlans.live(BUCKET), List.of(), context);
        managed.delete(TestPlans.live(BUCKET), context);
        assertEquals(List.of("update []", "delete"), driver.calls);
    }

    /** Answers reads from a script and records every call. */
    private static final class ScriptedDriver implements ResourceDriver {

        final Deque<LiveRead> reads = new ArrayDeque<>();
        final List<String> calls = new ArrayList<>();
        RuntimeException createFailure;

        @Override
        public ResourceType type() {
            return ResourceType.S3_BUCKET;
        }

        @Override
        public LiveRead read(Resource desired, DriverContext context) {
            calls.add("read");
            return reads.isEmpty() ? LiveRead.ABSENT : reads.poll();
        }

        @Override
        public ObservedResource create(Resource desired, DriverContext context) {
            calls.add("create");
            if (createFailure != null) {
                throw createFailure;
            }
            return TestPlans.live(desired);
        }

        @Override
        public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
                DriverContext context) {
            calls.add("update " + changes);
            return live;
        }

        @Override
        public void delete(ObservedResource live, DriverContext context) {
            calls.add("delete");
        }
    }

    /** Polls a wait until it holds, recording what was waited for. */
    private static final class WaitingContext implements DriverContext {

        final List<String> waits = new ArrayList<>();

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        public Optional<ObservedResource> live(String address) {
            return Optional.empty();
        }

        @Override
        public void await(String what, BooleanSupplier condition) {
            waits.add(what);
            for (int i = 0; i < 10 && !condition.getAsBoolean(); i++) {
                // each poll reads again
            }
        }
    }
}
