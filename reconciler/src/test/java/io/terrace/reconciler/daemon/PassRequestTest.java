package io.terrace.reconciler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Optional;
import org.quartz.JobDataMap;
import org.junit.jupiter.api.Test;

/** Who asked for a pass travels with it through the scheduler's job data and into the history's trigger. */
class PassRequestTest {

    @Test
    void theTriggerNamesWhoAskedForEachReason() {
        assertEquals("manual:alice", PassRequest.of(Trigger.MANUAL, Optional.empty(), "alice").trigger());
        assertEquals("now:api", PassRequest.of(Trigger.NOW, Optional.empty()).trigger(), "nobody named: api");
        assertEquals("change", PassRequest.of(Trigger.CHANGE, Optional.empty()).trigger());
        assertEquals("sweep", new PassRequest(EnumSet.noneOf(Trigger.class), Optional.empty()).trigger());
    }

    @Test
    void mergedRequestsKeepEveryoneWhoAskedForWhat() {
        PassRequest merged = PassRequest.of(Trigger.NOW, Optional.empty(), "bob")
                .merge(PassRequest.of(Trigger.CHANGE, Optional.of("abc")))
                .merge(PassRequest.of(Trigger.MANUAL, Optional.empty(), "carol"))
                .merge(PassRequest.of(Trigger.NOW, Optional.empty(), "alice"))
                .merge(PassRequest.of(Trigger.NOW, Optional.empty(), "bob"));

        assertEquals("change,manual:carol,now:alice+bob", merged.trigger());
        assertEquals(Optional.of("abc"), merged.commit());
    }

    @Test
    void survivesTheJobData() {
        PassRequest asked = PassRequest.of(Trigger.MANUAL, Optional.of("abc"), "alice")
                .merge(PassRequest.of(Trigger.NOW, Optional.empty(), "ci.deploy"))
                .merge(PassRequest.of(Trigger.RETRY, Optional.empty()));

        PassRequest read = PassRequest.of(asked.jobData());

        assertEquals(asked, read);
        assertEquals("retry,manual:alice,now:ci.deploy", read.trigger());
        JobDataMap older = new JobDataMap();
        older.put(PassRequest.TRIGGERS, "NOW");
        assertEquals("now:api", PassRequest.of(older).trigger(), "a request queued before names: api asked");
    }
}
