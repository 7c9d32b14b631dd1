package io.terrace.reconciler.aws;

import java.io.IOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Tells transient failures (worth another attempt: throttling, 5xx, network) from terminal ones
 * (validation errors, missing permissions, refusals), which fail the step at once.
 */
public final class TransientFailure {

    private static final Set<String> TRANSIENT_CODES = Set.of(
            "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
            "ServiceUnavailable", "InternalFailure", "InternalError", "ServerException");

    private TransientFailure() {}

    public static boolean isTransient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof AwsServiceException e) {
                return e.isThrottlingException() || e.statusCode() >= 500 || e.statusCode() == 429
                        || (e.awsErrorDetails() != null && TRANSIENT_CODES.contains(e.awsErrorDetails().errorCode()));
            }
            if (c instanceof SdkClientException && c.getCause() instanceof IOException) {
                return true;
            }
            if (c instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
