package io.terrace.reconciler.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives on its own (a request head too large, a malformed request, a stop in
 * progress): one line of JSON, {@code {"error":"…"}}, as the API's own errors, with the same
 * security headers and never a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put("Content-Type", "application/json");
        response.getHeaders().put("Cache-Control", "no-store");
        SecurityHeaders.addTo(response.getHeaders());
        response.write(true, body(code, message), callback);
    }

    /** A request Jetty could not parse into one (no handler saw it). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put("Content-Type", "application/json");
        fields.put("Cache-Control", "no-store");
        SecurityHeaders.addTo(fields);
        return body(status, reason);
    }

    private static ByteBuffer body(int code, String message) {
        // A server-side failure's message names Java exceptions: the client gets the status text.
        String text = message == null || message.isBlank() || code >= 500 ? HttpStatus.getMessage(code) : message;
        return ByteBuffer.wrap((write(JSON, Map.of("error", text)) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** JSON of plain maps and lists, which always serialize. */
    static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
