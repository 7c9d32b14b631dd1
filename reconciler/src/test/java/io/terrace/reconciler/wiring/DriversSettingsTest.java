package io.terrace.reconciler.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.terrace.reconciler.engine.ExecutorSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The readiness poll a benchmark may shorten, and nothing else of the executor's pacing. */
class DriversSettingsTest {

    @Test
    void unsetOrNotAPositiveNumberKeepsTheDefaultPacing() {
        for (String value : new String[] {null, "", "0", "-5", "abc", "1.5", "99999999"}) {
            assertEquals(ExecutorSettings.DEFAULT, Drivers.settings(value), String.valueOf(value));
        }
    }

    @Test
    void aNumberOfMillisecondsSetsOnlyTheReadinessPoll() {
        ExecutorSettings s = Drivers.settings(" 200 ");
        assertEquals(Duration.ofMillis(200), s.pollInterval());
        ExecutorSettings d = ExecutorSettings.DEFAULT;
        assertEquals(new ExecutorSettings(d.parallelism(), d.stepAttempts(), d.backoff(), Duration.ofMillis(200),
                d.readinessTimeout(), d.rolloutTimeout()), s);
        assertEquals(Duration.ofSeconds(5), d.pollInterval(), "the production default");
    }
}
