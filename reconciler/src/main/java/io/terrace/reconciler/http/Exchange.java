package io.terrace.reconciler.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its answer as the routes see them: the path, headers and client address to
 * read, and one way to answer (status, content type, body). Every answer ends the exchange; the
 * security and caching headers were set when it began.
 */
record Exchange(Request request, Response response, Callback callback) {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.http");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper JSON_LINE = new ObjectMapper();

    /** The decoded path, without the query. */
    String path() {
        return Request.getPathInContext(request);
    }

    String method() {
        return request.getMethod();
    }

    /** The first value of a request header. */
    Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeaders().get(name));
    }

    List<String> headers(String name) {
        return request.getHeaders().getValuesList(name);
    }

    /** The query as sent, still %-encoded. */
    Optional<String> rawQuery() {
        return Optional.ofNullable(request.getHttpURI().getQuery());
    }

    /** The first value of a query parameter, decoded. */
    Optional<String> query(String name) {
        return Optional.ofNullable(org.eclipse.jetty.util.UrlEncoded.decodeQuery(rawQuery().orElse("")).getValue(name));
    }

    /** A query parameter given as {@code true} (or with no value: {@code ?now}). */
    boolean queryFlag(String name) {
        return query(name).map(v -> v.isEmpty() || v.equals("true")).orElse(false);
    }

    String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    void send(int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put("Content-Type", contentType);
        if (method().equals("HEAD")) {
            response.write(true, null, callback);
            return;
        }
        response.getHeaders().put("Content-Length", bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** An answer without a body: a redirect, the headers set before. */
    void sendEmpty(int status) {
        response.setStatus(status);
        response.getHeaders().put("Content-Length", 0);
        response.write(true, null, callback);
    }

    /** JSON as the API writes it: indented, for people reading curl's output. */
    void json(int status, Object body) {
        send(status, "application/json", JsonErrorHandler.write(JSON, body) + "\n");
    }

    /** A one-line JSON error, {@code {"error":"…"}}, for clients that read the first line. */
    void jsonLine(int status, String error) {
        send(status, "application/json", JsonErrorHandler.write(JSON_LINE, Map.of("error", error)) + "\n");
    }

    /** A route that broke: logged, and a 500 if the answer has not started yet. */
    void fail(Throwable e) {
        LOG.atWarn().setMessage("http-error").addKeyValue("path", path()).addKeyValue("error", e.toString()).log();
        if (response.isCommitted()) {
            callback.failed(e); // the client sees a cut connection
        } else {
            json(500, Map.of("error", String.valueOf(e.getMessage())));
        }
    }
}
