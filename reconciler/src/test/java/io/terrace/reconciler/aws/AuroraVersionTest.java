package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.rds.AuroraVersion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuroraVersionTest {

    @ParameterizedTest(name = "{0} is reported as {1}")
    @CsvSource({
            "8.0.mysql_aurora.3.08.2, 8.0",   // what Terrace creates
            "8.0.mysql_aurora.3.10.0, 8.0",   // after an automatic minor upgrade: not drift
            "5.7.mysql_aurora.2.12.4, 5.7",   // an older cluster shows its real major
            "8.0.39, 8.0",                    // a plain MySQL version keeps major.minor
            "8.0, 8.0"})
    void liveVersionsAreComparedByMajor(String live, String major) {
        assertEquals(major, AuroraVersion.major(live));
    }

    @ParameterizedTest(name = "MySQL {0} starts at {1}")
    @CsvSource({"8.0, 8.0.mysql_aurora.3.08.2", "5.7, 5.7.mysql_aurora.2.12.4"})
    void aMajorVersionMapsToAPinnedAuroraRelease(String major, String concrete) {
        assertEquals(concrete, AuroraVersion.concrete(major));
        assertEquals(major, AuroraVersion.major(AuroraVersion.concrete(major)));
    }

    @org.junit.jupiter.api.Test
    void anUnknownMajorVersionIsRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> AuroraVersion.concrete("9.0"));
        assertEquals("no Aurora MySQL release known for MySQL 9.0 (known: 5.7, 8.0)", e.getMessage());
    }
}
