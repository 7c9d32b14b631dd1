package io.terrace.reconciler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.schema.SpecRepository;
import io.terrace.schema.SpecResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When the daemon rotates an origin secret: the holds an apply has (PAUSE, paused spec, closed
 * window, no valid spec, decommission), rotation turned off, and the secret's age.
 */
class OriginSecretScheduleTest {

    /** Sunday 2025-06-01 12:00 UTC. */
    private static final Instant NOON_SUNDAY = Instant.parse("2025-06-01T12:00:00Z");
    private static final OriginSecretSchedule MONTHLY = new OriginSecretSchedule(Optional.of(Duration.ofDays(30)));

    private static Optional<SpecResult> spec(String... extra) {
        String yaml = TestSpecs.environment("shop", "1.0.0", extra);
        return SpecRepository.load(Map.of(TestSpecs.path("shop"), yaml.getBytes(StandardCharsets.UTF_8)), Optional.empty())
                .find("shop");
    }

    private static Optional<OriginSecretRotator.Described> changed(Instant at) {
        return Optional.of(new OriginSecretRotator.Described(at, false));
    }

    @Test
    void aValidUnpausedSpecWithoutWindowIsChecked() {
        assertInstanceOf(SpecResult.Valid.class, spec().orElseThrow());
        assertEquals(Optional.empty(), MONTHLY.holds(spec(), Optional.empty(), NOON_SUNDAY));
    }

    @Test
    void aPauseFileOrAPausedSpecHolds() {
        assertEquals(Optional.of("paused: freeze"), MONTHLY.holds(spec(), Optional.of("freeze"), NOON_SUNDAY));
    }

    @Test
    void aClosedMaintenanceWindowHoldsAndAnOpenOneDoesNot() {
        Optional<SpecResult> windowed = spec("maintenance: { window: 'sun:02:00-sun:04:00' }");
        assertEquals(Optional.of("outside the maintenance window (next: 2025-06-08T02:00:00Z)"),
                MONTHLY.holds(windowed, Optional.empty(), NOON_SUNDAY));
        assertEquals(Optional.empty(), MONTHLY.holds(windowed, Optional.empty(), Instant.parse("2025-06-01T03:00:00Z")));
    }

    @Test
    void noSpecAnInvalidSpecAndADecommissionHold() {
        assertEquals(Optional.of("no spec"), MONTHLY.holds(Optional.empty(), Optional.empty(), NOON_SUNDAY));
        Optional<SpecResult> invalid = SpecRepository.load(Map.of(TestSpecs.path("shop"),
                TestSpecs.invalid("shop").getBytes(StandardCharsets.UTF_8)), Optional.empty()).find("shop");
        assertEquals(Optional.of("invalid spec"), MONTHLY.holds(invalid, Optional.empty(), NOON_SUNDAY));
        assertEquals(Optional.of("decommissioning"), MONTHLY.holds(spec("decommission: true"), Optional.empty(), NOON_SUNDAY));
    }

    @Test
    void offNeverChecksNorSchedules() {
        OriginSecretSchedule off = new OriginSecretSchedule(Optional.empty());
        assertTrue(!off.enabled());
        assertEquals(Optional.of("rotation off"), off.holds(spec(), Optional.empty(), NOON_SUNDAY));
    }

    @Test
    void aYoungSecretIsKeptAndAnOldOneRotated() {
        assertInstanceOf(OriginSecretSchedule.Verdict.Hold.class,
                MONTHLY.decide(changed(NOON_SUNDAY.minus(Duration.ofDays(29))), NOON_SUNDAY));
        assertInstanceOf(OriginSecretSchedule.Verdict.Rotate.class,
                MONTHLY.decide(changed(NOON_SUNDAY.minus(Duration.ofDays(30))), NOON_SUNDAY));
        assertEquals("older than PT720H",
                MONTHLY.decide(changed(NOON_SUNDAY.minus(Duration.ofDays(31))), NOON_SUNDAY).reason());
    }

    @Test
    void anInterruptedRotationIsFinishedWhateverTheAge() {
        assertInstanceOf(OriginSecretSchedule.Verdict.Rotate.class, MONTHLY.decide(
                Optional.of(new OriginSecretRotator.Described(NOON_SUNDAY.minusSeconds(60), true)), NOON_SUNDAY));
    }

    @Test
    void noSecretIsNothingToRotate() {
        assertEquals(new OriginSecretSchedule.Verdict.Hold("no origin secret"), MONTHLY.decide(Optional.empty(), NOON_SUNDAY));
    }

    @Test
    void checksHourlyOrAsOftenAsAShorterMaximumAge() {
        assertEquals(Duration.ofHours(1), MONTHLY.checkEvery());
        assertEquals(Duration.ofMinutes(10), MONTHLY.firstCheck());
        OriginSecretSchedule tiny = new OriginSecretSchedule(Optional.of(Duration.ofSeconds(3)));
        assertEquals(Duration.ofSeconds(3), tiny.checkEvery());
        assertEquals(Duration.ofSeconds(3), tiny.firstCheck());
    }
}
