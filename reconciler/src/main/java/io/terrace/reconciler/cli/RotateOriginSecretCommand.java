package io.terrace.reconciler.cli;

import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.aws.network.OriginSecretRotation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.regions.Region;

/**
 * {@code terrace rotate-origin-secret ENV}: a new value for the header CloudFront sends the load
 * balancer, in the order that refuses no request ({@link OriginSecretRotation}).
 */
@Command(name = "rotate-origin-secret", mixinStandardHelpOptions = true,
        description = "Replace the secret header value CloudFront sends an environment's load balancer: "
                + "the load balancer accepts old and new, CloudFront switches, then the old value is refused. "
                + "Running it again finishes an interrupted rotation.")
final class RotateOriginSecretCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EnvironmentOptions scope;

    @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
    String environment;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (AwsRegions regions = scope.open()) {
            Region region = scope.regionOf(regions, environment);
            new OriginSecretRotation(regions.clients(region), line -> {
                out.println("terrace rotate-origin-secret: " + line);
                out.flush();
            }, Duration.ofMinutes(45), Duration.ofSeconds(5)).rotate(environment);
            out.println("terrace rotate-origin-secret: " + environment + " rotated");
            return TerraceCli.OK;
        } catch (RuntimeException e) {
            err.println("terrace rotate-origin-secret: " + e.getMessage());
            return TerraceCli.ERROR;
        }
    }

}
