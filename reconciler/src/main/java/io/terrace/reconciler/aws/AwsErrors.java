package io.terrace.reconciler.aws;

import java.io.IOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One short line for an AWS failure, for the command line and logs: the SDK's own messages for a
 * missing credential chain or an unreachable endpoint run to many hundreds of characters. Never
 * includes credentials (the SDK's messages do not either).
 */
public final class AwsErrors {

    private static final int MAX = 300;

    private AwsErrors() {}

    public static String describe(SdkException e) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Unable to load credentials")) {
            return "no AWS credentials found (environment variables, profile, or instance/container role)";
        }
        if (message.startsWith("Unable to load region")) {
            return "no AWS region: pass --region or set AWS_REGION";
        }
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            String code = s.awsErrorDetails().errorCode();
            String detail = s.awsErrorDetails().errorMessage();
            if (code == null || code.isBlank()) {
                // A bare 5xx (an emulator's crash, a proxy's error page): say so rather than "null: null".
                return cut(s.awsErrorDetails().serviceName() + " answered HTTP " + s.statusCode()
                        + " with no error code" + (detail == null || detail.isBlank() ? "" : ": " + detail));
            }
            return cut(s.awsErrorDetails().serviceName() + " " + code + ": " + detail);
        }
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof IOException io) {
                return cut("cannot reach AWS: " + io.getClass().getSimpleName() + ": " + io.getMessage());
            }
        }
        return cut(message);
    }

    /**
     * Whether the endpoint does not implement the operation at all: an emulator's bare 5xx with
     * neither an AWS error code nor a request id (moto answers an operation it lacks so). AWS
     * itself always answers with both, so this never matches an AWS failure.
     */
    public static boolean isUnimplemented(AwsServiceException e) {
        boolean noCode = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                || e.awsErrorDetails().errorCode().isBlank();
        return e.statusCode() >= 500 && noCode && (e.requestId() == null || e.requestId().isBlank());
    }

    private static String cut(String s) {
        String line = s.replace('\n', ' ');
        return line.length() <= MAX ? line : line.substring(0, MAX) + "…";
    }
}
