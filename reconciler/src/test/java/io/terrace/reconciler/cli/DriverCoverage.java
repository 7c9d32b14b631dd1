package io.terrace.reconciler.cli;

import io.terrace.planner.ResourceType;
import io.terrace.reconciler.aws.AwsCallCounter;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.wiring.Drivers;
import java.net.URI;
import java.util.EnumSet;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/** Whether the AWS drivers cover every resource type, which an end-to-end apply needs. */
final class DriverCoverage {

    private DriverCoverage() {}

    static boolean everyResourceTypeHasADriver() {
        EnumSet<ResourceType> covered = EnumSet.noneOf(ResourceType.class);
        // Drivers only keep their clients: these never send a request.
        try (AwsClients aws = new AwsClients(Region.EU_WEST_1, Optional.of(URI.create("http://127.0.0.1:9")),
                new AwsCallCounter())) {
            Drivers.of(aws).forEach(d -> covered.add(d.type()));
        }
        return covered.containsAll(EnumSet.allOf(ResourceType.class));
    }
}
