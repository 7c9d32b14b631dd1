package io.terrace.reconciler.cli;

import io.terrace.reconciler.aws.AwsCallCounter;
import io.terrace.reconciler.aws.AwsRegions;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Option;
import software.amazon.awssdk.regions.Region;

/**
 * The AWS options every command that talks to AWS shares. Credentials always come from the SDK's
 * default chain (environment, profile, instance role) and are never printed.
 */
final class AwsOptions {

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Send every AWS call to this endpoint (an emulator, a VPC endpoint). "
                    + "AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are honoured too.")
    URI endpoint;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Use this region for every environment (default: each spec's own region; "
                    + "for environments without a spec file, the SDK's default region).")
    String region;

    AwsRegions open() {
        return new AwsRegions(Optional.ofNullable(endpoint), Optional.ofNullable(region).map(Region::of),
                new AwsCallCounter());
    }
}
