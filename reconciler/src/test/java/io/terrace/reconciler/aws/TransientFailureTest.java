package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Which failures a step retries: worth another attempt, or terminal at once. */
class TransientFailureTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("throttled", aws(400, "ThrottlingException"), true),
                Arguments.of("throttled, EC2 spelling", aws(503, "RequestLimitExceeded"), true),
                Arguments.of("too many requests", aws(429, "TooManyRequestsException"), true),
                Arguments.of("server error", aws(500, "InternalFailure"), true),
                Arguments.of("service unavailable", aws(503, "ServiceUnavailable"), true),
                Arguments.of("request timeout", aws(400, "RequestTimeout"), true),
                Arguments.of("network failure", SdkClientException.create("connect", new IOException("reset")), true),
                Arguments.of("validation error", aws(400, "ValidationError"), false),
                Arguments.of("access denied", aws(403, "AccessDenied"), false),
                Arguments.of("refused by a driver", new IllegalStateException("refusing to delete"), false),
                Arguments.of("no credentials", SdkClientException.create("Unable to load credentials"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void classifies(String why, Throwable failure, boolean transientFailure) {
        assertEquals(transientFailure, TransientFailure.isTransient(failure), why);
    }

    private static AwsServiceException aws(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build())
                .message(code).build();
    }
}
