package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.elasticache.model.ElastiCacheException;

/** Which failures say the endpoint lacks an operation (an emulator), never an AWS failure; how failures read. */
class AwsErrorsTest {

    @org.junit.jupiter.api.Test
    void aBare5xxSaysItsStatusNotNull() {
        var e = ElastiCacheException.builder().statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("Iam").build()).build();
        assertEquals("Iam answered HTTP 500 with no error code", AwsErrors.describe(e));
    }

    @org.junit.jupiter.api.Test
    void anAwsErrorSaysItsServiceCodeAndMessage() {
        var e = ElastiCacheException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                .serviceName("ElastiCache").errorCode("Throttling").errorMessage("Rate exceeded").build()).build();
        assertEquals("ElastiCache Throttling: Rate exceeded", AwsErrors.describe(e));
    }

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("moto's bare 500 for an operation it lacks", 500, null, null, true),
                Arguments.of("AWS's internal failure: it has a code and a request id", 500, "InternalFailure", "req-1", false),
                Arguments.of("a 503 with a code is AWS being unavailable", 503, "ServiceUnavailable", "req-2", false),
                Arguments.of("a 500 with a request id came from AWS", 500, null, "req-3", false),
                Arguments.of("a client error is never 'unimplemented'", 400, null, null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void onlyABare5xxWithoutCodeOrRequestIdIsAnUnimplementedOperation(String reason, int status, String code,
            String requestId, boolean unimplemented) {
        var e = ElastiCacheException.builder().statusCode(status).requestId(requestId)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("ElastiCache").errorCode(code).build()).build();
        assertEquals(unimplemented, AwsErrors.isUnimplemented((ElastiCacheException) e), reason);
    }
}
