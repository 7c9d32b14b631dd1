package io.terrace.reconciler.cli;

import io.terrace.planner.ResourceType;
import io.terrace.reconciler.aws.AwsDrivers;
import java.util.EnumSet;

/** Whether the AWS drivers cover every resource type, which an end-to-end apply needs. */
final class DriverCoverage {

    private DriverCoverage() {}

    static boolean everyResourceTypeHasADriver() {
        EnumSet<ResourceType> covered = EnumSet.noneOf(ResourceType.class);
        AwsDrivers.drivers().forEach(d -> covered.addAll(d.types()));
        return covered.containsAll(EnumSet.allOf(ResourceType.class));
    }
}
